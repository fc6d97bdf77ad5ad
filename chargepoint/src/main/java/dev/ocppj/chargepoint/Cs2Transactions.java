package dev.ocppj.chargepoint;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sessions and transactions (blocks C and E): cable, token, authorization, TxStartPoint and
 * TxStopPoint, TransactionEvent Started/Updated/Ended, charging states. The messages themselves
 * are built and sent by {@link Cs2TransactionEvents}, the token checks by {@link Cs2Authorization},
 * the meter values and their timers by {@link Cs2MeterValues}.
 * Every method here runs inside a station work step and returns when its messages were answered.
 */
final class Cs2Transactions {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargingStation s;

  Cs2Transactions(ChargingStation s) {
    this.s = s;
  }

  private Cs2TransactionEvents events() {
    return s.transactionEvents();
  }

  // ---- start and stop points (E01: TxStartPoint / TxStopPoint)

  private List<String> points(String variable) {
    String v = s.model().value("TxCtrlr", variable, null);
    return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).toList();
  }

  /** Whether a transaction starts now, given the cable and the authorization. */
  private boolean startsNow(boolean plugged, boolean authorized) {
    List<String> p = points("TxStartPoint");
    return ((p.contains("EVConnected") || p.contains("ParkingBayOccupancy")) && plugged)
        || ((p.contains("Authorized") || p.contains("DataSigned")) && authorized)
        || ((p.contains("PowerPathClosed") || p.contains("EnergyTransfer")) && plugged && authorized);
  }

  /** Whether losing the cable (or the authorization) ends the transaction. */
  private boolean stopsOn(String point) {
    List<String> p = points("TxStopPoint");
    return p.contains(point) || p.contains("PowerPathClosed") || p.contains("EnergyTransfer")
        || (point.equals("EVConnected") && p.contains("ParkingBayOccupancy"));
  }

  // ---- events

  CompletableFuture<Void> plugIn(Cs2Evse e) {
    synchronized (s) {
      if (e.faulted || e.inoperative || s.inoperative || e.connectorInoperative[0]) {
        return CompletableFuture.failedFuture(new IllegalStateException("EVSE " + e.id + " is " + e.status(1, s.inoperative)));
      }
      if (e.plugged != 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("EVSE " + e.id + " has a cable plugged in already"));
      }
      e.plugged = 1;
      e.evSuspended = false;
      if (e.connectionTimer != null) {
        e.connectionTimer.cancel(false);
        e.connectionTimer = null;
      }
    }
    return s.reportStatuses().thenCompose(v -> progress(e, "CablePluggedIn", null));
  }

  CompletableFuture<Void> presentToken(Cs2Evse e, IdToken token) {
    boolean stop;
    synchronized (s) {
      if (e.faulted || e.inoperative || s.inoperative) {
        return CompletableFuture.failedFuture(new IllegalStateException("EVSE " + e.id + " is unavailable"));
      }
      stop = e.token != null && e.token.value().equals(token.value());
      if (!stop && e.token != null) {
        return CompletableFuture.failedFuture(new IllegalStateException("EVSE " + e.id + " is in use by another token"));
      }
      if (!stop && e.reservation != null && !e.reservation.token().value().equals(token.value()) && e.reservation.groupId() == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("EVSE " + e.id + " is reserved for another token"));
      }
    }
    if (stop) {
      return stopByToken(e, token);
    }
    return Cs2Authorization.authorize(s, token).thenCompose(info -> {
      String status = info.path("status").asString("Invalid");
      if (!"Accepted".equals(status)) {
        // C01: not authorized, nothing starts; the caller learns why.
        return CompletableFuture.failedFuture(
            new IllegalStateException("token " + token.value() + " not authorized: " + status));
      }
      synchronized (s) {
        if (e.reservation != null && !e.reservation.token().value().equals(token.value())) {
          String group = info.path("groupIdToken").path("idToken").asString(null);
          if (group == null || !group.equals(e.reservation.groupId())) {
            return CompletableFuture.failedFuture(new IllegalStateException("EVSE " + e.id + " is reserved for another token"));
          }
        }
      }
      return authorized(e, token, info.path("groupIdToken").path("idToken").asString(null), "Authorized", null);
    });
  }

  /** A token (or a remote start) is authorized at {@code e}: the transaction starts or goes on. */
  CompletableFuture<Void> authorized(Cs2Evse e, IdToken token, String groupId, String trigger, Integer remoteStartId) {
    synchronized (s) {
      e.token = token;
      e.groupId = groupId;
      if (e.tx != null && remoteStartId != null) {
        e.tx.remoteStartId = remoteStartId;
      }
      if (e.plugged == 0) {
        armConnectionTimeout(e);
      }
    }
    CompletableFuture<Void> reserved = DONE;
    synchronized (s) {
      if (e.reservation != null) {
        Cs2Evse.Reservation r = e.reservation;
        e.reservation = null;
        r.timer().cancel(false);
        pendingReservationId = r.id();
        reserved = s.reportStatuses();
      }
    }
    return reserved.thenCompose(v -> progress(e, trigger, remoteStartId));
  }

  private Integer pendingReservationId; // guarded by s: the reservation the next Started event reports

  /**
   * After a change of cable or authorization: starts the transaction when its start point is
   * reached, or reports the change in it (Updated, with the charging state).
   */
  private CompletableFuture<Void> progress(Cs2Evse e, String trigger, Integer remoteStartId) {
    ObjectNode event;
    synchronized (s) {
      boolean plugged = e.plugged != 0;
      boolean authorized = e.token != null;
      String state = plugged && authorized ? (e.evSuspended ? "SuspendedEV" : "Charging") : plugged ? "EVConnected" : "Idle";
      if (e.tx == null) {
        if (!startsNow(plugged, authorized)) {
          return DONE;
        }
        e.tx = new Cs2Evse.Tx(UUID.randomUUID().toString());
        e.tx.remoteStartId = remoteStartId;
        e.tx.reservationId = pendingReservationId;
        pendingReservationId = null;
        e.tx.state(state);
        event = events().event(e, "Started", trigger, "TxStartedMeasurands", "Transaction.Begin");
        s.meterValues().armPeriodic(e);
      } else {
        e.tx.state(state);
        event = events().event(e, "Updated", trigger, null, null);
      }
      e.meter.drawing("Charging".equals(state), s.profile().initialSoc());
      Cs2OperationsSmart.applyLimits(s);
      if (e.tx.token == null && authorized) {
        e.tx.token = e.token;
        event.set("idToken", Cs2Json.idToken(e.token));
      }
    }
    boolean started = "Started".equals(event.path("eventType").asString());
    String txId = event.path("transactionInfo").path("transactionId").asString();
    IdToken token = e.token;
    return events().sendEvent(e, event).thenRun(() -> {
      if (started) {
        s.emit(l -> l.onTransactionStarted(e.id, txId, token));
      }
    });
  }

  private CompletableFuture<Void> stopByToken(Cs2Evse e, IdToken token) {
    boolean end;
    synchronized (s) {
      if (e.tx == null) {
        // Authorized but not plugged yet: presenting the token again cancels it.
        e.token = null;
        cancelConnectionTimeout(e);
        return DONE;
      }
      end = stopsOn("Authorized");
    }
    if (end) {
      return end(e, "StopAuthorized", "Local", token);
    }
    ObjectNode event;
    synchronized (s) {
      e.token = null;
      e.tx.state(e.plugged != 0 ? "EVConnected" : "Idle");
      e.meter.drawing(false, 0);
      event = events().event(e, "Updated", "StopAuthorized", null, null);
      event.set("idToken", Cs2Json.idToken(token));
    }
    return events().sendEvent(e, event);
  }

  CompletableFuture<Void> unplug(Cs2Evse e) {
    boolean end;
    synchronized (s) {
      if (e.plugged == 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("no cable is plugged in at EVSE " + e.id));
      }
      e.plugged = 0;
      end = e.tx != null && (stopsOn("EVConnected") || s.model().boolValue("TxCtrlr", "StopTxOnEVSideDisconnect", true));
    }
    // E06: the transaction ends (EVCommunicationLost, EVDisconnected), then the connector frees.
    CompletableFuture<Void> tx;
    if (end) {
      tx = end(e, "EVCommunicationLost", "EVDisconnected", null);
    } else {
      ObjectNode event = null;
      synchronized (s) {
        if (e.tx != null) {
          e.tx.state("Idle");
          e.meter.drawing(false, 0);
          event = events().event(e, "Updated", "EVCommunicationLost", null, null);
        }
      }
      tx = event == null ? DONE : events().sendEvent(e, event);
    }
    return tx.thenCompose(v -> s.reportStatuses());
  }

  CompletableFuture<Void> suspendByEv(Cs2Evse e, boolean suspended) {
    ObjectNode event = null;
    synchronized (s) {
      e.evSuspended = suspended;
      if (e.tx != null && e.plugged != 0 && e.token != null) {
        e.tx.state(suspended ? "SuspendedEV" : "Charging");
        e.meter.suspended(suspended);
        event = events().event(e, "Updated", "ChargingStateChanged", null, null);
      }
    }
    return event == null ? DONE : events().sendEvent(e, event);
  }

  CompletableFuture<Void> fault(Cs2Evse e, boolean faulted) {
    ObjectNode event = null;
    synchronized (s) {
      e.faulted = faulted;
      if (e.tx != null && e.plugged != 0 && e.token != null) {
        String state = faulted ? "SuspendedEVSE" : e.evSuspended ? "SuspendedEV" : "Charging";
        e.tx.state(state);
        e.meter.drawing("Charging".equals(state), 0);
        event = events().event(e, "Updated", faulted ? "AbnormalCondition" : "ChargingStateChanged", null, null);
      }
    }
    ObjectNode ev = event;
    return s.reportStatuses().thenCompose(v -> ev == null ? DONE : events().sendEvent(e, ev));
  }

  /**
   * Ends the transaction at {@code e} (no-op without one): TransactionEvent Ended with the
   * stoppedReason, TxEndedMeasurands; TX profiles go, a scheduled availability or reset applies.
   */
  CompletableFuture<Void> end(Cs2Evse e, String trigger, String reason, IdToken token) {
    ObjectNode event;
    Cs2Evse.Tx tx;
    synchronized (s) {
      tx = e.tx;
      if (tx == null || tx.ended) {
        return DONE;
      }
      tx.ended = true;
      tx.state(e.plugged != 0 ? "EVConnected" : "Idle");
      e.meter.drawing(false, 0);
      event = events().event(e, "Ended", trigger, "TxEndedMeasurands", "Transaction.End");
      ((ObjectNode) event.get("transactionInfo")).put("stoppedReason", reason);
      if (token != null) {
        event.set("idToken", Cs2Json.idToken(token));
      }
      if (tx.periodic != null) {
        tx.periodic.cancel(false);
      }
      cancelConnectionTimeout(e);
      e.tx = null;
      e.token = null;
      e.groupId = null;
      s.profiles().transactionEnded(tx.id);
    }
    return events().sendEvent(e, event)
        .exceptionally(x -> null) // the transaction is over for the station either way
        .thenRun(() -> s.emit(l -> l.onTransactionEnded(e.id, tx.id, reason)))
        .thenCompose(v -> s.transactionsEnded());
  }

  CompletableFuture<Void> end(Cs2Evse e, String trigger, String reason) {
    return end(e, trigger, reason, null);
  }

  /** 2.1 ChangeTransactionTariff: Updated with triggerReason TariffChanged and the new tariffId. */
  CompletableFuture<Void> tariffChanged(Cs2Evse e, String tariffId) {
    ObjectNode event;
    synchronized (s) {
      if (e.tx == null) {
        return DONE;
      }
      event = events().event(e, "Updated", "TariffChanged", null, null);
      ((ObjectNode) event.get("transactionInfo")).put("tariffId", tariffId);
    }
    return events().sendEvent(e, event);
  }

  // ---- timers

  private void armConnectionTimeout(Cs2Evse e) {
    cancelConnectionTimeout(e);
    int seconds = s.model().intValue("TxCtrlr", "EVConnectionTimeOut", null, 60);
    if (seconds <= 0) {
      return;
    }
    e.connectionTimer = StationTimer.after(Duration.ofSeconds(seconds), () -> s.enqueue("EV connection timeout", () -> {
      boolean expired;
      synchronized (s) {
        expired = e.plugged == 0 && e.token != null;
        if (expired && e.tx == null) {
          e.token = null;
        }
        expired = expired && e.tx != null;
      }
      return expired ? end(e, "EVConnectTimeout", "Timeout") : DONE;
    }).exceptionally(x -> null));
  }

  private void cancelConnectionTimeout(Cs2Evse e) {
    if (e.connectionTimer != null) {
      e.connectionTimer.cancel(false);
      e.connectionTimer = null;
    }
  }

  /** Stops every EVSE's EV connection timer. */
  void cancelTimers() {
    synchronized (s) {
      for (Cs2Evse e : s.evses) {
        cancelConnectionTimeout(e);
        if (e.tx == null) {
          e.token = null; // an authorization waiting for a cable does not survive a reboot
        }
        if (s.stopped() && e.reservation != null) {
          e.reservation.timer().cancel(false); // kept over a reboot, not past stop()
        }
      }
    }
  }
}
