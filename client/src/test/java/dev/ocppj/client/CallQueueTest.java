package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.rpc.CallTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The outgoing call queue: bounded, and no call waits unsent for longer than its deadline. */
class CallQueueTest extends ClientTestBase {

  @Test
  void aFullQueueRefusesTheNextCallAtOnce() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connected(OcppVersion.V1_6);
    c.call("Heartbeat", Map.of()); // in flight
    csms.awaitCall("Heartbeat");
    for (int i = 0; i < ClientOptions.DEFAULT_MAX_QUEUED_CALLS; i++) {
      assertThat(c.call("Heartbeat", Map.of())).isNotDone();
    }

    CompletableFuture<JsonNode> refused = c.call("Heartbeat", Map.of());

    assertThat(refused).isCompletedExceptionally();
    assertThat(failure(refused))
        .hasMessageContaining("maxQueuedCalls")
        .hasMessageContaining(String.valueOf(ClientOptions.DEFAULT_MAX_QUEUED_CALLS));
  }

  @Test
  void queuedCallsFailAtTheirDeadlineWithoutBeingSent() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callTimeout(Duration.ofMillis(500)));
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(c.call("Heartbeat", Map.of()));
    }
    int neverSent = 0;
    for (CompletableFuture<JsonNode> call : calls) {
      Throwable t = failure(call);
      assertThat(t).isInstanceOf(CallTimeoutException.class);
      neverSent += ((CallTimeoutException) t).wasSent() ? 0 : 1;
    }
    csms.defaultAnswer("Heartbeat");
    get(c.call("StatusNotification", Map.of("connectorId", 1, "errorCode", "NoError", "status", "Available")));
    csms.awaitCall("StatusNotification");
    // Each waited at most its deadline from call(): the first went out, at most one more went
    // out as the first timed out, and the rest failed unsent at the same moment.
    long heartbeats = csms.transcript().stream().filter(f -> "Heartbeat".equals(f.action())).count();
    assertThat(heartbeats).isBetween(1L, 2L);
    assertThat(neverSent).isEqualTo(6 - heartbeats);
  }

  @Test
  void callsMadeWhileTheCsmsIsDownDoNotGoOutLongAfterTheirDeadline() {
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b -> b.callTimeout(Duration.ofMillis(200)).backoff(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    peer.drop();
    events.await("reconnect");
    // Meter values pile up while the CSMS is away; each has the same deadline from call().
    List<CompletableFuture<JsonNode>> offline = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      offline.add(c.call("MeterValues", Map.of("connectorId", 1, "meterValue", List.of())));
    }
    for (CompletableFuture<JsonNode> call : offline) {
      assertThat(failure(call)).isInstanceOf(CallTimeoutException.class);
    }
    csms.awaitConnection();
    get(c.call("Heartbeat", Map.of()));
    // The Heartbeat went out after the reconnect, and none of the expired calls before it.
    assertThat(csms.awaitCall("Heartbeat")).isNotNull();
    assertThat(csms.transcript()).noneMatch(f -> "MeterValues".equals(f.action()));
  }
}
