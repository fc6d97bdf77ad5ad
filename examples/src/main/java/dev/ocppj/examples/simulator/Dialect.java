package dev.ocppj.examples.simulator;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.examples.simulator.Transaction.StopReason;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How one OCPP version spells the simulator's charge point: its payloads, its answers to the
 * CSMS's calls, and the calls a CSMS of that version makes to exercise them. 2.0.1 and 2.1 share
 * one dialect: every message the simulator uses has the same shape in both.
 */
sealed interface Dialect permits Ocpp16Dialect, Ocpp2Dialect {

  static Dialect of(OcppVersion version) {
    return version == OcppVersion.V1_6 ? new Ocpp16Dialect() : new Ocpp2Dialect(version);
  }

  /** The configuration a new charge point starts with. */
  Settings settings(int connectors, int securityProfile);

  /** The setting that holds the heartbeat interval in seconds. */
  String heartbeatKey();

  /** The boolean setting that says whether a remote start needs an Authorize first. */
  String authorizeRemoteKey();

  /** A new transaction id if the charge point assigns them (2.x), else null (1.6: the CSMS does). */
  String newTransactionId();

  ObjectNode bootNotification(boolean afterReset);

  /** How this version reports {@code state} in a StatusNotification. */
  String status(Connector.State state);

  ObjectNode statusNotification(int connector, String status);

  /** Authorizes {@code tag}; the future holds the status the CSMS answered. */
  CompletableFuture<String> authorize(SimulatedChargePoint cp, String tag);

  CompletableFuture<Void> startTransaction(SimulatedChargePoint cp, Transaction tx);

  CompletableFuture<Void> meterValues(SimulatedChargePoint cp, Transaction tx);

  CompletableFuture<Void> stopTransaction(SimulatedChargePoint cp, Transaction tx, StopReason reason);

  /** Registers the charge point's handlers for the calls a CSMS of this version sends. */
  void handleCsmsCalls(SimulatedChargePoint cp);

  /**
   * The CSMS's side, for the embedded CSMS: sends each call the handlers answer, checks every
   * answer and the messages that follow it, and completes when all were as expected.
   */
  CompletableFuture<Void> exercise(CsmsSession csms);

  /** The embedded CSMS's view of one connected charge point. */
  interface CsmsSession {
    /** A CALL from the charge point and the answer the CSMS gave it. */
    record Arrival(JsonNode request, JsonNode answer) {}

    /** Calls the charge point; fails if it answers with a CALLERROR or not in time. */
    CompletableFuture<JsonNode> call(String action, ObjectNode payload);

    /**
     * The next CALL of {@code action} whose payload matches, from now on; register it before the
     * call that causes it. Fails if none comes in time.
     */
    CompletableFuture<Arrival> expect(String action, Predicate<JsonNode> match);

    /** Calls the charge point and requires the answer's {@code status} to be {@code expected}. */
    default CompletableFuture<JsonNode> call(String action, ObjectNode payload, String expected) {
      return call(action, payload).thenApply(answer -> {
        require(expected.equals(answer.path("status").asString("")), action + " answered " + expected, answer);
        return answer;
      });
    }

    /**
     * Calls the charge point, requires the answer's status, then waits for the CALL the answer
     * promises (a triggered message, a remote start's transaction).
     */
    default CompletableFuture<Arrival> call(
        String action, ObjectNode payload, String expected, String then, Predicate<JsonNode> match) {
      CompletableFuture<Arrival> arrival = expect(then, match);
      return call(action, payload, expected).thenCompose(answer -> arrival);
    }

    /** Throws a failure that says what the charge point did wrong unless {@code ok}. */
    default void require(boolean ok, String what, JsonNode got) {
      if (!ok) {
        throw new Failure(
            "CSMS check failed: " + what + ", got " + got);
      }
    }
  }
}
