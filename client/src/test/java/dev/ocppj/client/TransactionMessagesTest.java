package dev.ocppj.client;

import static dev.ocppj.client.ClientTestBase.failure;
import static dev.ocppj.client.ClientTestBase.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.store.FileTransactionStore;
import dev.ocppj.client.store.TransactionStore;
import dev.ocppj.client.testing.TcpProxy;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Transaction-related messages reach the CSMS exactly once and in order, across a CSMS that goes
 * away and comes back, a CALLERROR, and a restart of the charge point (a fresh client on the same
 * file store).
 */
class TransactionMessagesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private OcppClient client(java.net.URI endpoint, TransactionStore store, OcppVersion version) {
    OcppClient c =
        OcppClient.builder(endpoint, "CP1")
            .protocols(version)
            .transactionStore(store)
            .transactionMessageAttempts(3)
            .transactionMessageRetryInterval(Duration.ofMillis(50))
            .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
            .build();
    resources.add(() -> c.close(CloseOptions.defaults().withForce(true)).get());
    return c;
  }

  private static Map<String, Object> meterValues(int n) {
    return Map.of(
        "connectorId", 1,
        "transactionId", 7,
        "meterValue",
        List.of(Map.of(
            "timestamp", "2026-12-07T00:00:" + String.format("%02d", n) + "Z",
            "sampledValue", List.of(Map.of("value", String.valueOf(n))))));
  }

  /** The meter readings of the MeterValues the CSMS received, in order. */
  private static List<String> readings(TestCsms csms) {
    List<String> out = new ArrayList<>();
    for (Frame f : csms.transcript()) {
      if (f.isCall("MeterValues")) {
        out.add(f.payload().get("meterValue").get(0).get("sampledValue").get(0).get("value").asString());
      } else if (f.isCall("StopTransaction")) {
        out.add("stop");
      }
    }
    return out;
  }

  @Test
  void csmsDownMidSessionThenBackEveryMessageArrivesOnceInOrder() throws Exception {
    TestCsms first = TestCsms.start();
    TcpProxy proxy = new TcpProxy(first.port());
    resources.add(proxy);
    OcppClient c = client(proxy.endpoint("/ocpp"), TransactionStore.inMemory(), OcppVersion.V1_6);
    get(c.connect());
    for (int i = 1; i <= 3; i++) {
      get(c.call("MeterValues", meterValues(i)));
    }
    first.close(); // the CSMS goes away
    await().atMost(WAIT).until(() -> c.state() == ClientState.CONNECTING);
    List<CompletableFuture<JsonNode>> offline = new ArrayList<>();
    for (int i = 4; i <= 8; i++) {
      offline.add(c.call("MeterValues", meterValues(i)));
    }
    offline.add(c.call("StopTransaction", Map.of("transactionId", 7, "meterStop", 8, "timestamp", "2026-12-07T00:01:00Z")));
    CompletableFuture<JsonNode> ordinary = c.call("Heartbeat", Map.of()); // not kept: waits as any call

    TestCsms second = TestCsms.start();
    resources.add(second);
    proxy.retarget(second.port());
    for (CompletableFuture<JsonNode> f : offline) {
      get(f);
    }
    get(ordinary);
    assertThat(readings(first)).containsExactly("1", "2", "3");
    assertThat(readings(second)).containsExactly("4", "5", "6", "7", "8", "stop");
  }

  @Test
  void aCallErrorIsRetriedAfterTheIntervalAndTheNextWaitsItsTurn() throws Exception {
    TestCsms csms = TestCsms.start();
    resources.add(csms);
    AtomicInteger stops = new AtomicInteger();
    csms.answerRaw("StopTransaction", f -> stops.incrementAndGet() <= 2
        ? "[4,\"" + f.messageId() + "\",\"InternalError\",\"busy\",{}]"
        : "[3,\"" + f.messageId() + "\",{}]");
    OcppClient c = client(csms.endpoint(), TransactionStore.inMemory(), OcppVersion.V1_6);
    get(c.connect());

    CompletableFuture<JsonNode> stop =
        c.call("StopTransaction", Map.of("transactionId", 7, "meterStop", 8, "timestamp", "2026-12-07T00:01:00Z"));
    CompletableFuture<JsonNode> after = c.call("MeterValues", meterValues(9));
    get(stop);
    get(after);
    assertThat(stops.get()).isEqualTo(3);
    assertThat(readings(csms)).containsExactly("stop", "stop", "stop", "9");
  }

  @Test
  void aMessageRefusedEveryTimeIsGivenUpAfterTheAttempts() throws Exception {
    TestCsms csms = TestCsms.start().answerError("StopTransaction", "InternalError", "never", null);
    resources.add(csms);
    TransactionStore store = TransactionStore.inMemory();
    OcppClient c = client(csms.endpoint(), store, OcppVersion.V1_6);
    get(c.connect());

    Throwable f =
        failure(c.call("StopTransaction", Map.of("transactionId", 7, "meterStop", 8, "timestamp", "2026-12-07T00:01:00Z")));
    assertThat(f).isInstanceOf(RpcException.class);
    assertThat(readings(csms)).containsExactly("stop", "stop", "stop");
    assertThat(store.load()).isEmpty();
    get(c.call("MeterValues", meterValues(1))); // the queue moves on
  }

  @Test
  void closingTheClientWhileAMessageIsInFlightFailsItsCallerAndKeepsTheMessage() throws Exception {
    TestCsms csms = TestCsms.start().noAnswer("StopTransaction");
    resources.add(csms);
    TransactionStore store = TransactionStore.inMemory();
    OcppClient c = client(csms.endpoint(), store, OcppVersion.V1_6);
    get(c.connect());
    CompletableFuture<JsonNode> stop =
        c.call("StopTransaction", Map.of("transactionId", 7, "meterStop", 8, "timestamp", "2026-12-07T00:01:00Z"));
    csms.awaitCall("StopTransaction");

    get(c.close(CloseOptions.defaults().withAwaitPending(false)));
    assertThat(failure(stop)).isInstanceOf(ClientClosedException.class).hasMessageContaining("sent after the next connect()");
    assertThat(store.load()).hasSize(1);
    csms.defaultAnswer("StopTransaction");
    get(c.connect());
    csms.awaitCall("StopTransaction"); // sent again
    await().atMost(WAIT).untilAsserted(() -> assertThat(store.load()).isEmpty());
  }

  @Test
  void aRestartedChargePointSendsWhatItsFileStoreKept() throws Exception {
    Path file = dir.resolve("tx.log");
    TestCsms csms = TestCsms.start();
    resources.add(csms);
    // Before the "restart": the CSMS is unreachable, so every message stays stored.
    TransactionStore store = TransactionStore.file(file, FileTransactionStore.Fsync.ALWAYS);
    OcppClient before = client(csms.endpoint(), store, OcppVersion.V1_6);
    for (int i = 1; i <= 5; i++) {
      assertThat(failure(before.call("MeterValues", meterValues(i))))
          .isInstanceOf(ClientClosedException.class)
          .hasMessageContaining("stored");
    }
    before.close(CloseOptions.defaults()).get();
    store.close();
    assertThat(Files.size(file)).isPositive();

    TransactionStore reopened = TransactionStore.file(file, FileTransactionStore.Fsync.ALWAYS);
    resources.add(reopened);
    assertThat(reopened.load()).hasSize(5);
    OcppClient after = client(csms.endpoint(), reopened, OcppVersion.V1_6);
    get(after.connect());
    await().atMost(WAIT).until(() -> readings(csms).size() == 5);
    assertThat(readings(csms)).containsExactly("1", "2", "3", "4", "5");
    await().atMost(WAIT).untilAsserted(() -> assertThat(reopened.load()).isEmpty());
    get(after.call("Heartbeat", Map.of())); // later frames: nothing more was sent before it
    assertThat(readings(csms)).hasSize(5);
    assertThat(Files.size(file)).isZero();
  }

  @Test
  void transactionEventsMadeOfflineAreMarkedOfflineAndKeepTheirSeqNo() throws Exception {
    TestCsms first = TestCsms.start();
    TcpProxy proxy = new TcpProxy(first.port());
    resources.add(proxy);
    OcppClient c = client(proxy.endpoint("/ocpp"), TransactionStore.inMemory(), OcppVersion.V2_0_1);
    get(c.connect());
    get(c.call("TransactionEvent", event("Started", 0)));
    first.close();
    await().atMost(WAIT).until(() -> c.state() == ClientState.CONNECTING);
    List<CompletableFuture<JsonNode>> offline = new ArrayList<>();
    for (int seq = 1; seq <= 3; seq++) {
      offline.add(c.call("TransactionEvent", event("Updated", seq)));
    }
    TestCsms second = TestCsms.start();
    resources.add(second);
    proxy.retarget(second.port());
    offline.forEach(ClientTestBase::get);
    get(c.call("TransactionEvent", event("Ended", 4)));

    List<JsonNode> seen = new ArrayList<>();
    for (TestCsms csms : List.of(first, second)) {
      csms.transcript().stream().filter(f -> f.isCall("TransactionEvent")).forEach(f -> seen.add(f.payload()));
    }
    assertThat(seen).extracting(p -> p.get("seqNo").asInt()).containsExactly(0, 1, 2, 3, 4);
    assertThat(seen).extracting(p -> p.has("offline") && p.get("offline").asBoolean())
        .containsExactly(false, true, true, true, false);
  }

  private static Map<String, Object> event(String type, int seqNo) {
    return Map.of(
        "eventType", type,
        "timestamp", "2026-12-07T00:00:0" + seqNo + "Z",
        "triggerReason", "MeterValuePeriodic",
        "seqNo", seqNo,
        "transactionInfo", Map.of("transactionId", "tx-1"));
  }
}
