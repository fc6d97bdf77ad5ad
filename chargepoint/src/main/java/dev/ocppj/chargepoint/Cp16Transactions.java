package dev.ocppj.chargepoint;

import dev.ocppj.client.ClientState;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sessions on a 1.6 charge point: the events (plug, token, unplug, EV suspension, faults),
 * Start/StopTransaction
 * and the StatusNotifications that report each change. Methods named after events queue their
 * work; the others run inside a step already queued and never queue and wait (that would wait
 * for themselves).
 */
final class Cp16Transactions {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargePoint cp;

  Cp16Transactions(ChargePoint cp) {
    this.cp = cp;
  }

  // ---- status reporting

  /** Sends the status of every connector whose status or error changed (all with {@code force}), 0 first. */
  CompletableFuture<Void> report(boolean force) {
    return report(-1, force);
  }

  /** Like {@link #report(boolean)} for connector {@code only} (-1: every connector). */
  CompletableFuture<Void> report(int only, boolean force) {
    List<ObjectNode> out = new ArrayList<>();
    synchronized (cp) {
      boolean stationOff = cp.connectors[0].inoperative;
      for (Cp16Connector c : cp.connectors) {
        if (only >= 0 && c.id != only) {
          continue;
        }
        String status = c.status(stationOff);
        String key = status + "/" + c.errorCode;
        if (force || !key.equals(c.reported)) {
          c.reported = key;
          out.add(StationJson.object().put("connectorId", c.id).put("errorCode", c.errorCode)
              .put("status", status).put("timestamp", StationJson.time(AbstractStation.now())));
        }
      }
    }
    CompletableFuture<Void> chain = DONE;
    for (ObjectNode p : out) {
      chain = chain.thenCompose(v -> cp.send("StatusNotification", p).handle((answer, error) -> {
        int id = p.get("connectorId").asInt();
        String status = p.get("status").asString();
        if (error != null) {
          // Not sent: report it again after the next (re)connect.
          synchronized (cp) {
            cp.connectors[id].reported = null;
          }
          if (cp.client.state() == ClientState.OPEN) {
            cp.failed("StatusNotification " + id + " " + status, error);
          }
        }
        cp.emit(l -> l.onStatus(id, status));
        return null;
      }));
    }
    return chain;
  }

  // ---- events

  CompletableFuture<Void> plugIn(int location) {
    return cp.enqueue("plugIn " + location, () -> {
      boolean start;
      synchronized (cp) {
        Cp16Connector c = requireConnector(location);
        if (c.faulted) {
          throw new IllegalStateException("connector " + location + " is faulted (" + c.errorCode + ")");
        }
        if (c.plugged) {
          return DONE;
        }
        c.plugged = true;
        c.finishing = false;
        c.evSuspended = false;
        if (c.tx != null) { // back after an unplug that did not stop the transaction
          if (!c.tx.invalid) {
            c.meter.suspended(false);
          }
        }
        start = c.tx == null && c.authorizedTag != null
            && c.canStart(cp.connectors[0].inoperative, c.authorizedTag, c.authorizedParent);
      }
      return start ? start(cp.connectors[location]) : report(false);
    });
  }

  CompletableFuture<Void> presentToken(int location, IdToken token) {
    String tag = token.value();
    return cp.enqueue("presentToken " + location, () -> {
      if (tag.isEmpty() || tag.length() > 20) {
        throw new IllegalArgumentException("a 1.6 idTag has 1 to 20 characters: \"" + tag + "\"");
      }
      Cp16Connector c;
      Cp16Connector.Transaction tx;
      synchronized (cp) {
        c = requireConnector(location);
        tx = c.tx;
        if (tx == null && c.faulted) {
          throw new IllegalStateException("connector " + location + " is faulted (" + c.errorCode + ")");
        }
      }
      if (tx != null) {
        // Section 3.6: the same idTag (or one of the same parent) ends the transaction.
        if (tx.idTag.equals(tag)) {
          return stop(c, "Local", tag);
        }
        return cp.authorization.authorize(tag).thenCompose(info -> {
          if (info.accepted() && info.parentIdTag() != null && info.parentIdTag().equals(tx.parentIdTag)) {
            return stop(c, "Local", tag);
          }
          throw new IllegalStateException(tag + " may not stop transaction " + tx.id + " of " + tx.idTag);
        });
      }
      return cp.authorization.authorize(tag).thenCompose(info -> {
        boolean startNow;
        synchronized (cp) {
          if (!info.accepted()) {
            throw new IllegalStateException("token " + tag + " not authorized: " + info.status());
          }
          boolean wasFinishing = c.finishing;
          c.finishing = false; // a new session after the last one finished (Finishing -> Preparing)
          if (!c.canStart(cp.connectors[0].inoperative, tag, info.parentIdTag())) {
            c.finishing = wasFinishing;
            throw new IllegalStateException("connector " + location + " cannot start a transaction for " + tag
                + " (" + c.status(cp.connectors[0].inoperative)
                + (c.reservation != null ? ", reserved for " + c.reservation.idTag() : "") + ")");
          }
          c.authorizedTag = tag;
          c.authorizedParent = info.parentIdTag();
          startNow = c.plugged;
          if (!startNow) {
            armConnectionTimer(c);
          }
        }
        return startNow ? start(c) : report(false);
      });
    });
  }

  CompletableFuture<Void> unplug(int location) {
    return cp.enqueue("unplug " + location, () -> {
      Cp16Connector c;
      boolean stop;
      synchronized (cp) {
        c = requireConnector(location);
        if (!c.plugged) {
          return DONE;
        }
        stop = c.tx != null && cp.config.bool("StopTransactionOnEVSideDisconnect");
        if (!stop) {
          c.plugged = false;
          c.finishing = false;
          if (c.tx != null) {
            // Section 3.8 (StopTransactionOnEVSideDisconnect false): the transaction goes on, suspended.
            c.evSuspended = true;
            c.meter.suspended(true);
          }
        }
      }
      if (!stop) {
        return report(false);
      }
      // Finishing while the session ends, then Available once the cable is out.
      return stop(c, "EVDisconnected", null).thenCompose(v -> {
        synchronized (cp) {
          c.plugged = false;
          c.finishing = false;
        }
        return report(false);
      });
    });
  }

  CompletableFuture<Void> suspendByEv(int location, boolean suspended) {
    return cp.enqueue("suspendByEv " + location, () -> {
      synchronized (cp) {
        Cp16Connector c = requireConnector(location);
        if (c.tx == null) {
          throw new IllegalStateException("no transaction at connector " + location);
        }
        c.evSuspended = suspended;
        if (!c.tx.invalid) {
          c.meter.suspended(suspended);
        }
      }
      return report(false);
    });
  }

  /**
   * A fault. Codes that prevent charging (all but {@link Cp16Connector#NON_BLOCKING_ERRORS})
   * make the connector Faulted and stop its transaction with reason Other: the model cannot
   * deliver energy through a ground failure. The others are reported with the status unchanged.
   */
  CompletableFuture<Void> fault(int location, String errorCode) {
    return cp.enqueue("fault " + location, () -> {
      if (!Cp16Connector.ERROR_CODES.contains(errorCode)) {
        throw new IllegalArgumentException("not a 1.6 ChargePointErrorCode: " + errorCode
            + "; known: " + Cp16Connector.ERROR_CODES);
      }
      Cp16Connector c;
      boolean stop;
      synchronized (cp) {
        c = cp.connector(location);
        if (c == null) {
          throw new IllegalArgumentException("no connector " + location + " (0.." + cp.connectorCount() + ")");
        }
        c.errorCode = errorCode;
        c.faulted |= !Cp16Connector.NON_BLOCKING_ERRORS.contains(errorCode);
        stop = c.faulted && c.tx != null;
        if (c.faulted) {
          c.cancelConnectionTimer();
          c.authorizedTag = null;
        }
      }
      return stop ? stop(c, "Other", null) : report(false);
    });
  }

  CompletableFuture<Void> clearFault(int location) {
    return cp.enqueue("clearFault " + location, () -> {
      synchronized (cp) {
        Cp16Connector c = cp.connector(location);
        if (c == null) {
          throw new IllegalArgumentException("no connector " + location + " (0.." + cp.connectorCount() + ")");
        }
        c.faulted = false;
        c.errorCode = "NoError";
      }
      return report(false);
    });
  }

  // ---- transactions (run inside a queued step)

  /**
   * A RemoteStartTransaction's follow-up: the handler already set the token at {@code c};
   * with AuthorizeRemoteTxRequests it is authorized first (section 5.11), then the session
   * starts when (or once) a cable is plugged in.
   */
  CompletableFuture<Void> remoteStart(Cp16Connector c, String tag) {
    CompletableFuture<Cp16Authorization.IdTagInfo> auth;
    synchronized (cp) {
      auth = cp.config.bool("AuthorizeRemoteTxRequests") ? null : CompletableFuture.completedFuture(new Cp16Authorization.IdTagInfo("Accepted", null));
    }
    return (auth != null ? auth : cp.authorization.authorize(tag)).thenCompose(info -> {
      boolean startNow;
      synchronized (cp) {
        if (!tag.equals(c.authorizedTag) || c.tx != null) {
          return DONE; // timed out or cancelled meanwhile
        }
        if (!info.accepted()) {
          c.authorizedTag = null;
          c.remoteProfile = null;
          startNow = false;
        } else {
          c.authorizedParent = info.parentIdTag();
          if (cp.remoteStartPlugsIn && !c.plugged) {
            c.plugged = true;
            c.evSuspended = false;
          }
          startNow = c.plugged;
          if (!startNow) {
            armConnectionTimer(c);
          }
        }
      }
      // Preparing first (the cable a remote start plugs in), then the transaction.
      return startNow ? report(false).thenCompose(v -> start(c)) : report(false);
    });
  }

  /** StartTransaction for the token waiting at {@code c}, then Charging (or the stop an invalid id asks for). */
  CompletableFuture<Void> start(Cp16Connector c) {
    ObjectNode request;
    String tag;
    String parent;
    long meterStart;
    OffsetDateTime at = AbstractStation.now();
    synchronized (cp) {
      c.cancelConnectionTimer();
      tag = c.authorizedTag;
      parent = c.authorizedParent;
      meterStart = Math.round(c.meter.energyWh());
      request = StationJson.object().put("connectorId", c.id).put("idTag", tag).put("meterStart", meterStart)
          .put("timestamp", StationJson.time(at));
      if (c.reservation != null && c.reservation.matches(tag, parent)) {
        request.put("reservationId", c.reservation.id()); // section 3.11: the reservation is used
        c.dropReservation();
      }
    }
    return cp.send("StartTransaction", request).handle((answer, error) -> {
      if (error != null) {
        synchronized (cp) {
          c.authorizedTag = null;
          c.remoteProfile = null;
        }
        return report(false).thenCompose(v -> CompletableFuture.<Void>failedFuture(Work.unwrap(error)));
      }
      JsonNode info = answer.path("idTagInfo");
      String txId = Long.toString(answer.path("transactionId").asLong());
      boolean stop;
      synchronized (cp) {
        cp.authorization.cache(tag, info);
        Cp16Connector.Transaction tx = new Cp16Connector.Transaction(
            txId, tag, info.path("parentIdTag").asString(parent), at, meterStart);
        tx.invalid = !"Accepted".equals(info.path("status").asString(""));
        c.tx = tx;
        c.authorizedTag = null;
        c.authorizedParent = null;
        c.finishing = false;
        stop = tx.invalid && cp.config.bool("StopTransactionOnInvalidId");
        if (c.remoteProfile != null && !stop) {
          installRemoteProfile(c, tx);
        }
        c.remoteProfile = null;
        cp.meters.applyLimit(c);
        c.meter.drawing(!tx.invalid, cp.profile.initialSoc());
        if (c.evSuspended) {
          c.meter.suspended(true);
        }
        List<String> end = cp.config.measurands("StopTxnSampledData");
        if (!end.isEmpty()) {
          tx.record(cp.meters.sample(c, end, "Transaction.Begin"));
        }
        cp.meters.armSampler(c);
      }
      cp.emit(l -> l.onTransactionStarted(c.id, txId, new IdToken(tag, IdToken.ISO14443)));
      // Section 3.5.3: an idTag the CSMS does not accept ends the transaction (DeAuthorized)
      // with StopTransactionOnInvalidId, else it stays suspended (SuspendedEVSE).
      return stop ? stop(c, "DeAuthorized", null) : report(false);
    }).thenCompose(f -> f);
  }

  private void installRemoteProfile(Cp16Connector c, Cp16Connector.Transaction tx) {
    try {
      ChargingProfiles.Profile p = ChargingProfiles.fromJson(c.remoteProfile, c.id);
      cp.profiles.add(new ChargingProfiles.Profile(p.id(), p.stackLevel(), p.purpose(), p.kind(), p.recurrency(),
          p.validFrom(), p.validTo(), c.id, tx.id, p.schedules(), p.raw()));
    } catch (IllegalArgumentException ignored) {
      // Checked when the RemoteStartTransaction was answered.
    }
  }

  /** StopTransaction for {@code reason} (the session ends at once, whatever the CSMS answers), then the status. */
  CompletableFuture<Void> stop(Cp16Connector c, String reason, String stopTag) {
    ObjectNode request;
    Cp16Connector.Transaction tx;
    synchronized (cp) {
      tx = c.tx;
      if (tx == null) {
        return DONE;
      }
      c.cancelSampler();
      List<String> end = cp.config.measurands("StopTxnSampledData");
      if (!end.isEmpty()) {
        tx.data.add(cp.meters.sample(c, end, "Transaction.End"));
      }
      request = StationJson.object().put("transactionId", Long.parseLong(tx.id))
          .put("meterStop", Math.round(c.meter.energyWh()))
          .put("timestamp", StationJson.time(AbstractStation.now()))
          .put("reason", reason);
      if (stopTag != null) {
        request.put("idTag", stopTag);
      }
      if (!tx.data.isEmpty()) {
        request.putArray("transactionData").addAll(tx.data);
      }
      c.tx = null;
      c.finishing = c.plugged;
      c.evSuspended = false;
      c.meter.drawing(false, cp.profile.initialSoc());
      cp.profiles.transactionEnded(tx.id);
      cp.meters.applyLimit(c);
    }
    return cp.send("StopTransaction", request).handle((answer, error) -> {
      if (answer != null && stopTag != null) {
        synchronized (cp) {
          cp.authorization.cache(stopTag, answer.get("idTagInfo"));
        }
      }
      cp.emit(l -> l.onTransactionEnded(c.id, tx.id, reason));
      CompletableFuture<Void> status = report(false);
      return error == null ? status : status.thenCompose(v -> CompletableFuture.<Void>failedFuture(Work.unwrap(error)));
    }).thenCompose(f -> f);
  }

  /** Stops every running transaction for {@code reason}, one after the other. */
  CompletableFuture<Void> stopAll(String reason) {
    CompletableFuture<Void> chain = DONE;
    for (Cp16Connector c : cp.connectors) {
      chain = chain.thenCompose(v -> stop(c, reason, null).exceptionally(e -> {
        cp.failed("StopTransaction (" + reason + ")", e);
        return null;
      }));
    }
    return chain;
  }

  /** Section 3.10 (ConnectionTimeOut): a token waiting for a cable gives up. Under the lock. */
  void armConnectionTimer(Cp16Connector c) {
    c.cancelConnectionTimer();
    int seconds = cp.config.intValue("ConnectionTimeOut");
    String tag = c.authorizedTag;
    if (seconds <= 0 || tag == null) {
      return;
    }
    c.connectionTimer = StationTimer.after(Duration.ofSeconds(seconds), () -> cp.enqueue("ConnectionTimeOut " + c.id, () -> {
      synchronized (cp) {
        if (c.tx != null || c.plugged || !tag.equals(c.authorizedTag)) {
          return DONE;
        }
        c.authorizedTag = null;
        c.authorizedParent = null;
        c.remoteProfile = null;
        c.connectionTimer = null;
      }
      return report(false);
    }).exceptionally(e -> {
      cp.failed("ConnectionTimeOut " + c.id, e);
      return null;
    }));
  }

  /** Connector {@code location} (1..n), or IllegalArgumentException. Under the lock. */
  Cp16Connector requireConnector(int location) {
    if (location < 1 || location > cp.connectorCount()) {
      throw new IllegalArgumentException("no connector " + location + " (1.." + cp.connectorCount() + ")");
    }
    return cp.connectors[location];
  }
}
