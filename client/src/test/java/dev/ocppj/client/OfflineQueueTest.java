package dev.ocppj.client;

import static dev.ocppj.client.ClientTestBase.failure;
import static dev.ocppj.client.ClientTestBase.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.CallQueueFullException;
import dev.ocppj.client.testing.TcpProxy;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The offline queue: calls made while reconnecting wait for the next open, bounded, never lost silently. */
class OfflineQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private TestCsms csms;
  private TcpProxy proxy;
  private OcppClient client;

  @BeforeEach
  void start() throws Exception {
    csms = TestCsms.start();
    proxy = new TcpProxy(csms.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close(CloseOptions.defaults().withForce(true)).get();
    }
    proxy.close();
    csms.close();
  }

  private OcppClient offlineClient(OfflineOverflow overflow) {
    client =
        OcppClient.builder(proxy.endpoint("/ocpp"), "CP1")
            .protocols(OcppVersion.V1_6)
            .offlineQueue(3, overflow)
            .queueTimeout(Duration.ofMillis(200)) // applies once a connection is open, not before
            .backoff(Duration.ofMillis(50), Duration.ofMillis(50))
            .build();
    return client;
  }

  private CompletableFuture<JsonNode> dataTransfer(String marker) {
    return client.call("DataTransfer", Map.of("vendorId", "v", "messageId", marker));
  }

  /** Drops the connection and keeps the CSMS away for several reconnect attempts (over 200 ms). */
  private void goOffline() {
    proxy.refuse(true);
    proxy.resetAll();
    await().atMost(WAIT).until(() -> client.state() == ClientState.CONNECTING);
  }

  private void staysOfflineLongerThanTheQueueTimeout() {
    int before = proxy.accepted();
    await().atMost(WAIT).until(() -> proxy.accepted() >= before + 6); // 6 attempts, 50 ms apart
  }

  private List<String> markersReceived() {
    return csms.transcript().stream()
        .filter(f -> f.isCall("DataTransfer"))
        .map(f -> f.payload().get("messageId").asString())
        .toList();
  }

  @Test
  void callsMadeWhileReconnectingWaitWithoutDeadlineAndGoOutInOrder() throws Exception {
    offlineClient(OfflineOverflow.REJECT_NEW);
    get(client.connect());
    goOffline();
    CompletableFuture<JsonNode> a = dataTransfer("a");
    CompletableFuture<JsonNode> b = dataTransfer("b");
    CompletableFuture<JsonNode> c = dataTransfer("c");
    Throwable refused = failure(dataTransfer("d"));
    assertThat(refused).isInstanceOf(CallQueueFullException.class).hasMessageContaining("offline queue is full (3");
    staysOfflineLongerThanTheQueueTimeout();
    assertThat(a).isNotDone();

    proxy.refuse(false);
    get(a);
    get(b);
    get(c);
    assertThat(markersReceived()).containsExactly("a", "b", "c");
  }

  @Test
  void dropOldestFailsTheOldestWaitingCallToMakeRoom() throws Exception {
    offlineClient(OfflineOverflow.DROP_OLDEST);
    get(client.connect());
    goOffline();
    CompletableFuture<JsonNode> a = dataTransfer("a");
    CompletableFuture<JsonNode> b = dataTransfer("b");
    CompletableFuture<JsonNode> c = dataTransfer("c");
    CompletableFuture<JsonNode> d = dataTransfer("d");
    assertThat(failure(a)).isInstanceOf(CallQueueFullException.class).hasMessageContaining("dropped unsent");

    proxy.refuse(false);
    get(b);
    get(c);
    get(d);
    assertThat(markersReceived()).containsExactly("b", "c", "d");
  }

  @Test
  void withoutTheOfflineQueueAWaitingCallTimesOutAtItsQueueTimeout() throws Exception {
    client =
        OcppClient.builder(proxy.endpoint("/ocpp"), "CP1")
            .protocols(OcppVersion.V1_6)
            .queueTimeout(Duration.ofMillis(200))
            .backoff(Duration.ofMillis(50), Duration.ofMillis(50))
            .build();
    get(client.connect());
    goOffline();
    assertThat(failure(dataTransfer("a"))).isInstanceOf(dev.ocppj.client.rpc.CallTimeoutException.class);
  }

  @Test
  void theFinalCloseFailsTheWaitingCalls() throws Exception {
    offlineClient(OfflineOverflow.REJECT_NEW);
    get(client.connect());
    goOffline();
    CompletableFuture<JsonNode> a = dataTransfer("a");
    get(client.close(CloseOptions.defaults()));
    assertThat(failure(a)).isInstanceOf(dev.ocppj.client.rpc.ClientClosedException.class);
  }
}
