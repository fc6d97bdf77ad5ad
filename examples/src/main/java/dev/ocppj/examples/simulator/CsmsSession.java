package dev.ocppj.examples.simulator;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The embedded CSMS's view of one connected charge point, for {@link CsmsScripts}. */
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
      throw new Failure("CSMS check failed: " + what + ", got " + got);
    }
  }
}
