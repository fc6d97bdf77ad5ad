package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;

import dev.ocppj.client.ClientState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The TransactionEvent message (E01): its fields (the station-wide seqNo, one counter
 * incremented per message; the offline flag; the evse and connector once; the measurands a
 * context selects), sending it while counting the messages in flight for GetTransactionStatus,
 * and the answer's idTokenInfo (E05: StopTxOnInvalidId). It is apart because both the session
 * steps of {@link Cs2Transactions} and the samples of {@link Cs2MeterValues} send these events
 * the same way.
 */
final class Cs2TransactionEvents {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargingStation s;
  private final AtomicInteger inFlight = new AtomicInteger();

  Cs2TransactionEvents(ChargingStation s) {
    this.s = s;
  }

  /** A TransactionEvent for {@code e}'s transaction; call under the lock. */
  ObjectNode event(Cs2Evse e, String type, String trigger, String measurands, String context) {
    Cs2Evse.Tx tx = e.tx;
    ObjectNode ev = object().put("eventType", type).put("timestamp", Cs2Json.timestamp())
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
      ArrayNode mv = s.meterValues().meterValue(e, measurands.startsWith("Tx") ? "SampledDataCtrlr" : "AlignedDataCtrlr", measurands, context);
      if (mv != null) {
        ev.set("meterValue", mv);
      }
    }
    return ev;
  }

  /** Sends {@code event}, counted in flight until its answer. */
  CompletableFuture<Void> sendEvent(Cs2Evse e, ObjectNode event) {
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
              return s.transactions().end(e, "Deauthorized", "DeAuthorized");
            }
          }
          return DONE;
        });
  }

  /** Whether TransactionEvent messages are waiting for an answer (GetTransactionStatus). */
  boolean messagesInQueue() {
    return inFlight.get() > 0;
  }
}
