package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.testkit.ChargePoint;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** reconfigure() on a live client: each option takes effect when its documentation says. */
class ReconfigureTest extends ClientTestBase {

  @Test
  void raisingCallConcurrencyReleasesQueuedCallsAtOnce() {
    csms.noAnswer("A");
    OcppClient c = connected(OcppVersion.V1_6);
    c.call("A", null);
    c.call("A", null);
    c.call("A", null);
    csms.awaitCall("A");
    assertThat(c.pendingCounts()).containsExactly(1, 2);
    c.reconfigure(o -> o.callConcurrency(3));
    csms.awaitCall("A");
    csms.awaitCall("A");
    assertThat(c.pendingCounts()).containsExactly(3, 0);
    assertThat(c.options().callConcurrency()).isEqualTo(3);
  }

  @Test
  void aNewCallTimeoutAppliesToLaterCalls() {
    csms.noAnswer("A");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callConcurrency(2));
    CompletableFuture<JsonNode> before = c.call("A", null);
    c.reconfigure(o -> o.callTimeout(Duration.ofMillis(200)));
    CompletableFuture<JsonNode> after = c.call("A", null);
    assertThat(failure(after)).isInstanceOf(CallTimeoutException.class).hasMessageEndingWith("PT0.2S");
    assertThat(before).isNotDone();
  }

  @Test
  void identityEndpointAndQueryApplyOnTheNextConnect() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.reconfigure(o -> o.identity("CP-NEW").query("site", "7"));
    assertThat(c.identity()).isEqualTo("CP-NEW");
    get(c.call("Heartbeat", Map.of())); // the open connection is unchanged
    assertThat(csms.awaitCall("Heartbeat").chargePoint()).isSameAs(peer);
    get(c.closeAsync());
    get(c.connect());
    ChargePoint again = csms.awaitConnection();
    assertThat(again.resource()).isEqualTo("/ocpp/CP-NEW?site=7");
  }

  @Test
  void aReconnectUsesTheNewIdentity() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.backoff(Duration.ofMillis(10), Duration.ofMillis(10)));
    c.reconfigure(o -> o.identity("CP-RENAMED"));
    peer.drop();
    assertThat(csms.awaitConnection().identity()).isEqualTo("CP-RENAMED");
  }

  @Test
  void switchingReconnectOffCancelsAPendingAttempt() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.backoff(Duration.ofSeconds(20), Duration.ofSeconds(20)));
    peer.drop();
    events.await("reconnect");
    c.reconfigure(o -> o.reconnect(false));
    assertThat(events.await("close")).contains("reconnect was switched off");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(csms.upgradeRequests()).isEqualTo(1);
  }

  @Test
  void pingsAreReArmedAtOnce() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.pingInterval(Duration.ZERO));
    csms.assertNoMoreFrames(Duration.ofMillis(200));
    assertThat(peer.pingsReceived()).isZero();
    c.reconfigure(o -> o.pingInterval(Duration.ofMillis(50)));
    await().atMost(WAIT).until(() -> peer.pingsReceived() >= 2);
    c.reconfigure(o -> o.pingInterval(Duration.ZERO));
    int seen = peer.pingsReceived();
    csms.assertNoMoreFrames(Duration.ofMillis(300));
    assertThat(peer.pingsReceived()).isLessThanOrEqualTo(seen + 1);
  }

  @Test
  void changingProtocolsEndsTheNarrowingToTheFirstVersion() {
    csms.supportedProtocols("ocpp1.6", "ocpp2.0.1");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.protocols(OcppVersion.V1_6, OcppVersion.V2_0_1));
    assertThat(c.protocol()).isEqualTo(OcppVersion.V1_6);
    c.reconfigure(o -> o.protocols(OcppVersion.V2_0_1, OcppVersion.V1_6));
    get(c.closeAsync());
    get(c.connect());
    ChargePoint again = csms.awaitConnection();
    assertThat(again.headers()).containsEntry("sec-websocket-protocol", "ocpp2.0.1, ocpp1.6");
    assertThat(c.protocol()).isEqualTo(OcppVersion.V2_0_1);
  }

  @Test
  void strictModeSwitchesOnAtOnce() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.reconfigure(o -> o.strictMode(true));
    assertThat(failure(c.call("BootNotification", Map.of("chargePointVendor", "x".repeat(30), "chargePointModel", "M"))))
        .hasMessageContaining("maxLength");
  }

  @Test
  void concurrentChangesAreNeverLost() throws Exception {
    OcppClient c = client(OcppVersion.V1_6);
    int threads = 16;
    int each = 100;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            int n = i;
            c.reconfigure(o -> o.query("k" + id + "-" + n, "v"));
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(c.options().query()).hasSize(threads * each);
  }

  @Test
  void anInvalidChangeFailsNamingTheOptionAndChangesNothing() {
    OcppClient c = connected(OcppVersion.V1_6);
    ClientOptions before = c.options();
    assertThatThrownBy(() -> c.reconfigure(o -> o.callConcurrency(4).callTimeout(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeout must be positive: PT0S");
    assertThat(c.options()).isSameAs(before);
    assertThat(c.options().callConcurrency()).isEqualTo(1);
  }
}
