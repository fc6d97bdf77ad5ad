package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.ChargingStation.object;

import dev.ocppj.client.ClientState;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sessions and transactions (blocks C and E): cable, token, authorization, TxStartPoint and
 * TxStopPoint, TransactionEvent Started/Updated/Ended with the station-wide seqNo (E01: one
 * counter incremented per message), charging states, sampled and clock-aligned meter values.
 * Every method here runs inside a station work step and returns when its messages were answered.
 */
final class Cs2Transactions {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargingStation s;
  private final AtomicInteger inFlight = new AtomicInteger();
  private ScheduledFuture<?> aligned; // guarded by s

  Cs2Transactions(ChargingStation s) {
    this.s = s;
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
    return authorize(token).thenCompose(info -> {
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
        event = event(e, "Started", trigger, "TxStartedMeasurands", "Transaction.Begin");
        armPeriodic(e);
      } else {
        e.tx.state(state);
        event = event(e, "Updated", trigger, null, null);
      }
      e.meter.drawing("Charging".equals(state), s.profile().initialSoc());
      Cs2OperationsSmart.applyLimits(s);
      if (e.tx.token == null && authorized) {
        e.tx.token = e.token;
        event.set("idToken", ChargingStation.idToken(e.token));
      }
    }
    boolean started = "Started".equals(event.path("eventType").asString());
    String txId = event.path("transactionInfo").path("transactionId").asString();
    IdToken token = e.token;
    return sendEvent(e, event).thenRun(() -> {
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
      event = event(e, "Updated", "StopAuthorized", null, null);
      event.set("idToken", ChargingStation.idToken(token));
    }
    return sendEvent(e, event);
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
          event = event(e, "Updated", "EVCommunicationLost", null, null);
        }
      }
      tx = event == null ? DONE : sendEvent(e, event);
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
        event = event(e, "Updated", "ChargingStateChanged", null, null);
      }
    }
    return event == null ? DONE : sendEvent(e, event);
  }

  CompletableFuture<Void> fault(Cs2Evse e, boolean faulted) {
    ObjectNode event = null;
    synchronized (s) {
      e.faulted = faulted;
      if (e.tx != null && e.plugged != 0 && e.token != null) {
        String state = faulted ? "SuspendedEVSE" : e.evSuspended ? "SuspendedEV" : "Charging";
        e.tx.state(state);
        e.meter.drawing("Charging".equals(state), 0);
        event = event(e, "Updated", faulted ? "AbnormalCondition" : "ChargingStateChanged", null, null);
      }
    }
    ObjectNode ev = event;
    return s.reportStatuses().thenCompose(v -> ev == null ? DONE : sendEvent(e, ev));
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
      event = event(e, "Ended", trigger, "TxEndedMeasurands", "Transaction.End");
      ((ObjectNode) event.get("transactionInfo")).put("stoppedReason", reason);
      if (token != null) {
        event.set("idToken", ChargingStation.idToken(token));
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
    return sendEvent(e, event)
        .exceptionally(x -> null) // the transaction is over for the station either way
        .thenRun(() -> s.emit(l -> l.onTransactionEnded(e.id, tx.id, reason)))
        .thenCompose(v -> s.transactionsEnded());
  }

  CompletableFuture<Void> end(Cs2Evse e, String trigger, String reason) {
    return end(e, trigger, reason, null);
  }

  /** A periodic sample now: TransactionEvent Updated (MeterValuePeriodic) in a transaction, MeterValues otherwise. */
  CompletableFuture<Void> sample(Cs2Evse e) {
    ObjectNode event;
    synchronized (s) {
      if (e.tx == null) {
        event = null;
      } else {
        event = event(e, "Updated", "MeterValuePeriodic", "TxUpdatedMeasurands", "Sample.Periodic");
      }
    }
    if (event != null) {
      return sendEvent(e, event);
    }
    ObjectNode mv;
    synchronized (s) {
      mv = object().put("evseId", e.id);
      ArrayNode values = meterValue(e, "SampledDataCtrlr", "TxUpdatedMeasurands", "Sample.Periodic");
      if (values == null) {
        return DONE;
      }
      mv.set("meterValue", values);
    }
    return s.send("MeterValues", mv).thenApply(a -> null);
  }

  /** TriggerMessage TransactionEvent: Updated with triggerReason Trigger. */
  CompletableFuture<Void> triggered(Cs2Evse e) {
    ObjectNode event;
    synchronized (s) {
      if (e.tx == null) {
        return DONE;
      }
      event = event(e, "Updated", "Trigger", "TxUpdatedMeasurands", "Trigger");
    }
    return sendEvent(e, event);
  }

  /** 2.1 ChangeTransactionTariff: Updated with triggerReason TariffChanged and the new tariffId. */
  CompletableFuture<Void> tariffChanged(Cs2Evse e, String tariffId) {
    ObjectNode event;
    synchronized (s) {
      if (e.tx == null) {
        return DONE;
      }
      event = event(e, "Updated", "TariffChanged", null, null);
      ((ObjectNode) event.get("transactionInfo")).put("tariffId", tariffId);
    }
    return sendEvent(e, event);
  }

  /** TriggerMessage MeterValues: the aligned measurands with context Trigger. */
  CompletableFuture<Void> meterValues(Cs2Evse e, String context) {
    ObjectNode mv;
    synchronized (s) {
      mv = object().put("evseId", e.id);
      ArrayNode values = meterValue(e, "AlignedDataCtrlr", "Measurands", context);
      if (values == null) {
        return DONE;
      }
      mv.set("meterValue", values);
    }
    return s.send("MeterValues", mv).thenApply(a -> null);
  }

  // ---- authorization (C01, C10-C13)

  /** The idTokenInfo for {@code token}: local list, cache (LocalPreAuthorize), else Authorize. */
  CompletableFuture<JsonNode> authorize(IdToken token) {
    boolean online = s.client().state() == ClientState.OPEN;
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      if (!m.boolValue("AuthCtrlr", "Enabled", true)) {
        return CompletableFuture.completedFuture(object().put("status", "Accepted"));
      }
      boolean local = !online ? m.boolValue("AuthCtrlr", "LocalAuthorizeOffline", true)
          : m.boolValue("AuthCtrlr", "LocalPreAuthorize", false);
      OffsetDateTime now = AbstractStation.now();
      if (local) {
        LocalAuthorization.Entry entry = m.boolValue("LocalAuthListCtrlr", "Enabled", false)
            ? s.auth().listEntry(token.value()) : null;
        if (entry == null && m.boolValue("AuthCacheCtrlr", "Enabled", true)) {
          entry = s.auth().cacheEntry(token.value());
        }
        if (entry != null && ("Accepted".equals(entry.statusAt(now)) || !online)) {
          ObjectNode info = object().put("status", entry.statusAt(now));
          if (entry.groupId() != null) {
            info.putObject("groupIdToken").put("idToken", entry.groupId()).put("type", "Central");
          }
          return CompletableFuture.completedFuture(info);
        }
      }
      if (!online) {
        return CompletableFuture.completedFuture(object().put("status",
            m.boolValue("AuthCtrlr", "OfflineTxForUnknownIdEnabled", false) ? "Accepted" : "Unknown"));
      }
    }
    ObjectNode req = object();
    req.set("idToken", ChargingStation.idToken(token));
    return s.send("Authorize", req).thenApply(answer -> {
      JsonNode info = answer.path("idTokenInfo");
      remember(token, info);
      return info;
    });
  }

  private void remember(IdToken token, JsonNode info) {
    if (info.isMissingNode()) {
      return;
    }
    synchronized (s) {
      if (s.model().boolValue("AuthCacheCtrlr", "Enabled", true)) {
        String expiry = info.path("cacheExpiryDateTime").asString(null);
        s.auth().cache(token.value(), new LocalAuthorization.Entry(info.path("status").asString("Invalid"),
            expiry == null ? null : OffsetDateTime.parse(expiry), info.path("groupIdToken").path("idToken").asString(null)));
      }
    }
  }

  // ---- messages

  /** A TransactionEvent for {@code e}'s transaction; call under the lock. */
  private ObjectNode event(Cs2Evse e, String type, String trigger, String measurands, String context) {
    Cs2Evse.Tx tx = e.tx;
    ObjectNode ev = object().put("eventType", type).put("timestamp", ChargingStation.timestamp())
        .put("triggerReason", trigger).put("seqNo", s.nextSeqNo());
    if (s.client().state() != ClientState.OPEN) {
      ev.put("offline", true);
    }
    ObjectNode info = ev.putObject("transactionInfo").put("transactionId", tx.id).put("chargingState", tx.chargingState);
    if (tx.secondsCharging() > 0) {
      info.put("timeSpentCharging", tx.secondsCharging());
    }
    if (tx.remoteStartId != null && (type.equals("Started") || trigger.equals("RemoteStart"))) {
      info.put("remoteStartId", tx.remoteStartId);
    }
    if (!tx.evseSent || (!tx.connectorSent && e.plugged != 0)) {
      // E01.FR.16: the evse on the first event, the connector once known.
      ObjectNode evse = ev.putObject("evse").put("id", e.id);
      tx.evseSent = true;
      if (e.plugged != 0) {
        evse.put("connectorId", e.plugged);
        tx.connectorSent = true;
      }
    }
    if (type.equals("Started") && tx.reservationId != null) {
      ev.put("reservationId", tx.reservationId);
    }
    if (measurands != null) {
      ArrayNode mv = meterValue(e, measurands.startsWith("Tx") ? "SampledDataCtrlr" : "AlignedDataCtrlr", measurands, context);
      if (mv != null) {
        ev.set("meterValue", mv);
      }
    }
    return ev;
  }

  /** One MeterValue of the measurands {@code component}/{@code variable} lists (null when it lists none). */
  private ArrayNode meterValue(Cs2Evse e, String component, String variable, String context) {
    String list = s.model().value(component, variable, null);
    if (list == null || list.isBlank()) {
      return null;
    }
    ArrayNode values = ChargingStation.array();
    ObjectNode one = values.addObject().put("timestamp", ChargingStation.timestamp());
    ArrayNode sampled = one.putArray("sampledValue");
    for (String m : list.split(",")) {
      Double v = switch (m.trim()) {
        case "Energy.Active.Import.Register" -> e.meter.energyWh();
        case "Power.Active.Import" -> e.meter.powerW();
        case "Current.Import" -> e.meter.currentA();
        case "Voltage" -> e.meter.voltage();
        case "SoC" -> e.meter.soc();
        default -> null;
      };
      if (v == null) {
        continue;
      }
      String unit = switch (m.trim()) {
        case "Energy.Active.Import.Register" -> "Wh";
        case "Power.Active.Import" -> "W";
        case "Current.Import" -> "A";
        case "Voltage" -> "V";
        default -> "Percent";
      };
      ObjectNode sv = sampled.addObject().put("value", Math.round(v * 10) / 10.0).put("context", context)
          .put("measurand", m.trim());
      sv.putObject("unitOfMeasure").put("unit", unit);
    }
    return sampled.isEmpty() ? null : values;
  }

  private CompletableFuture<Void> sendEvent(Cs2Evse e, ObjectNode event) {
    inFlight.incrementAndGet();
    return s.send("TransactionEvent", event)
        .whenComplete((a, x) -> inFlight.decrementAndGet())
        .thenCompose(answer -> {
          // E05: a token the CSMS does not accept ends the transaction (StopTxOnInvalidId).
          String status = answer.path("idTokenInfo").path("status").asString("Accepted");
          if (event.has("idToken") && !"Accepted".equals(status) && !"Ended".equals(event.path("eventType").asString())) {
            boolean stop;
            synchronized (s) {
              stop = s.model().boolValue("TxCtrlr", "StopTxOnInvalidId", true) && e.tx != null;
            }
            if (stop) {
              return end(e, "Deauthorized", "DeAuthorized");
            }
          }
          return DONE;
        });
  }

  /** Whether TransactionEvent messages are waiting for an answer (GetTransactionStatus). */
  boolean messagesInQueue() {
    return inFlight.get() > 0;
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

  /** Arms the TxUpdatedInterval timer of {@code e}'s transaction; call under the lock. */
  private void armPeriodic(Cs2Evse e) {
    Cs2Evse.Tx tx = e.tx;
    if (tx.periodic != null) {
      tx.periodic.cancel(false);
      tx.periodic = null;
    }
    int seconds = s.model().intValue("SampledDataCtrlr", "TxUpdatedInterval", null, 60);
    if (seconds > 0) {
      Duration every = Duration.ofSeconds(seconds);
      tx.periodic = StationTimer.every(every, every, () -> s.enqueue("periodic meter values", () -> {
        ObjectNode ev;
        synchronized (s) {
          if (e.tx != tx) {
            return DONE;
          }
          ev = event(e, "Updated", "MeterValuePeriodic", "TxUpdatedMeasurands", "Sample.Periodic");
        }
        return sendEvent(e, ev);
      }).exceptionally(x -> null));
    }
  }

  /** TxUpdatedInterval changed: re-arms every running transaction's timer at once. */
  void rearmPeriodic() {
    synchronized (s) {
      for (Cs2Evse e : s.evses) {
        if (e.tx != null) {
          armPeriodic(e);
        }
      }
    }
  }

  /** (Re-)arms the clock-aligned timer (AlignedDataCtrlr.Interval, 0: off), aligned to midnight UTC. */
  void rearmAligned() {
    synchronized (s) {
      if (aligned != null) {
        aligned.cancel(false);
        aligned = null;
      }
      int seconds = s.model().intValue("AlignedDataCtrlr", "Interval", null, 900);
      if (seconds <= 0 || s.stopped()) {
        return;
      }
      long nowMs = System.currentTimeMillis();
      long period = seconds * 1000L;
      long first = period - Math.floorMod(nowMs, period);
      aligned = StationTimer.every(Duration.ofMillis(first), Duration.ofMillis(period), () -> {
        if (s.client().state() == ClientState.OPEN) {
          s.enqueue("clock-aligned meter values", this::alignedValues).exceptionally(x -> null);
        }
      });
    }
  }

  private CompletableFuture<Void> alignedValues() {
    CompletableFuture<Void> chain = DONE;
    for (Cs2Evse e : s.evses) {
      chain = chain.thenCompose(v -> {
        ObjectNode ev = null;
        synchronized (s) {
          if (e.tx != null) {
            ev = event(e, "Updated", "MeterValueClock", "Measurands", "Sample.Clock");
          }
        }
        return ev != null ? sendEvent(e, ev) : meterValues(e, "Sample.Clock");
      });
    }
    return chain;
  }

  void cancelTimers() {
    synchronized (s) {
      if (aligned != null) {
        aligned.cancel(false);
        aligned = null;
      }
      for (Cs2Evse e : s.evses) {
        if (e.tx != null && e.tx.periodic != null) {
          e.tx.periodic.cancel(false);
        }
        cancelConnectionTimeout(e);
      }
    }
  }
}
