package dev.ocppj.client;

import static dev.ocppj.client.ClientTestBase.failure;
import static dev.ocppj.client.ClientTestBase.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.client.rpc.ConnectFailedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.internal.runtime.SharedRuntime;
import dev.ocppj.client.testing.TcpProxy;
import dev.ocppj.testkit.TestCsms;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Network faults between the client and a real CSMS, injected by a loopback proxy: a CSMS killed
 * mid-call, a link cut mid-frame, stalls during a call and during the handshake, half-open
 * links, frames in one-byte writes, a CSMS restart, thousands of drops. After each: every call
 * completed exactly once, the client recovered, and its threads and objects are gone once it
 * is closed. Runs on each transport.
 */
abstract class FaultInjectionTest {
  /** The transport under test. */
  abstract Transport transport();

  private static final Duration WAIT = Duration.ofSeconds(10);

  private TestCsms csms;
  private TcpProxy proxy;
  private final List<OcppClient> clients = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger completions = new AtomicInteger();
  private int threadsBefore;
  private int schedulerUsersBefore;

  @BeforeEach
  void start() throws Exception {
    threadsBefore = ClientTestBase.libraryThreadCount();
    schedulerUsersBefore = SharedRuntime.schedulerUsers();
    csms = TestCsms.start();
    proxy = new TcpProxy(csms.port());
  }

  @AfterEach
  void stop() {
    for (OcppClient c : clients) {
      c.close(CloseOptions.defaults().withForce(true)).join();
    }
    proxy.close();
    csms.close();
  }

  private OcppClient client(UnaryOperator<OcppClient.Builder> config) {
    OcppClient c =
        config
            .apply(
                OcppClient.builder(proxy.endpoint("/ocpp"), "CP1")
                    .protocols(OcppVersion.V1_6)
                    .transport(transport())
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(100)))
            .build();
    clients.add(c);
    return c;
  }

  /** A call whose completions are counted. */
  private CompletableFuture<JsonNode> call(OcppClient c, String action) {
    calls.incrementAndGet();
    CompletableFuture<JsonNode> f = c.call(action, Map.of());
    f.whenComplete((v, e) -> completions.incrementAndGet());
    return f;
  }

  /** The client works: a Heartbeat is answered. */
  private void assertRecovered(OcppClient c) {
    await().atMost(WAIT).until(() -> c.state() == ClientState.OPEN);
    assertThat(get(call(c, "Heartbeat")).has("currentTime")).isTrue();
  }

  /**
   * After a case: every call completed exactly once; closed, the client leaves no connection,
   * no library thread and no lease on the shared runtime behind.
   */
  private void assertCleanEnd(OcppClient c) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(completions.get()).isEqualTo(calls.get()));
    if (c != null) {
      ClientTestBase.assertNoPendingCalls(c);
      get(c.close(CloseOptions.defaults()));
      clients.remove(c);
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(proxy.openLinks()).isZero());
    await().atMost(WAIT).untilAsserted(() -> assertThat(ClientTestBase.libraryThreadCount()).isLessThanOrEqualTo(threadsBefore + 1));
    assertThat(SharedRuntime.schedulerUsers()).isEqualTo(schedulerUsersBefore);
    assertThat(completions.get()).isEqualTo(calls.get()); // and none completed twice meanwhile
  }

  @Test
  void csmsKilledMidCallThenRestarted() throws Exception {
    csms.noAnswer("Heartbeat");
    OcppClient c = client(b -> b);
    get(c.connect());
    CompletableFuture<JsonNode> inFlight = call(c, "Heartbeat");
    csms.awaitCall("Heartbeat");
    csms.close(); // killed: its connections end with it

    assertThat(failure(inFlight)).isInstanceOf(ConnectionClosedException.class);
    await().atMost(WAIT).until(() -> proxy.accepted() >= 3); // retrying against a dead CSMS
    csms = TestCsms.start();
    proxy.retarget(csms.port());
    assertRecovered(c);
    assertCleanEnd(c);
  }

  @Test
  void linkCutInTheMiddleOfAnAnswer() throws Exception {
    csms.answerRaw("Heartbeat", f -> "[3,\"" + f.messageId() + "\",{\"currentTime\":\"" + "x".repeat(500) + "\"}]");
    OcppClient c = client(b -> b);
    get(c.connect());
    proxy.cutAfter(TcpProxy.Direction.DOWN, 100); // the answer's first 100 bytes, then a reset
    CompletableFuture<JsonNode> cut = call(c, "Heartbeat");

    assertThat(failure(cut)).isInstanceOf(ConnectionClosedException.class);
    csms.answerRaw("Heartbeat", f -> "[3,\"" + f.messageId() + "\",{\"currentTime\":\"2026-12-07T00:00:00Z\"}]");
    assertRecovered(c);
    assertCleanEnd(c);
  }

  @Test
  void linkCutInTheMiddleOfACall() throws Exception {
    OcppClient c = client(b -> b);
    get(c.connect());
    proxy.cutAfter(TcpProxy.Direction.UP, 10); // ten bytes of the CALL reach the CSMS
    CompletableFuture<JsonNode> cut = call(c, "Heartbeat");

    assertThat(failure(cut)).isInstanceOf(ConnectionClosedException.class);
    assertRecovered(c);
    assertCleanEnd(c);
  }

  @Test
  void stallDuringACallTimesItOutAndTheLateAnswerIsDropped() throws Exception {
    OcppClient c = client(b -> b.callTimeout(Duration.ofMillis(500)).pingInterval(Duration.ZERO));
    get(c.connect());
    proxy.stall();
    CompletableFuture<JsonNode> stalled = call(c, "Heartbeat");

    CallTimeoutException timeout = (CallTimeoutException) failure(stalled);
    assertThat(timeout.getMessage()).contains("Heartbeat");
    proxy.resume(); // the CSMS now gets the CALL and answers it, too late
    csms.awaitCall("Heartbeat");
    assertThat(get(call(c, "Heartbeat")).has("currentTime")).isTrue();
    assertCleanEnd(c);
  }

  @Test
  void stallDuringTheHandshakeFailsTheConnectAtItsTimeout() throws Exception {
    proxy.stall();
    OcppClient c = client(b -> b.connectTimeout(Duration.ofMillis(500)));

    assertThat(failure(c.connect())).isInstanceOf(ConnectFailedException.class).hasMessageContaining("connectTimeout");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    proxy.resume();
    get(c.connect());
    assertRecovered(c);
    assertCleanEnd(c);
  }

  @Test
  void halfOpenLinkIsFoundByPingsAndReplaced() throws Exception {
    OcppClient c =
        client(b -> b.pingInterval(Duration.ofMillis(200))
            .pongTimeout(Duration.ofMillis(400))
            .connectTimeout(Duration.ofSeconds(1)));
    get(c.connect());
    proxy.blackhole(TcpProxy.Direction.DOWN); // the CSMS hears us, we never hear it
    CompletableFuture<JsonNode> lost = call(c, "Heartbeat");

    assertThat(failure(lost)).isInstanceOf(ConnectionClosedException.class);
    proxy.thaw();
    assertRecovered(c);
    assertThat(proxy.accepted()).isGreaterThanOrEqualTo(2);
    assertCleanEnd(c);
  }

  @Test
  void framesInOneByteWritesBothWays() throws Exception {
    proxy.chop(true);
    OcppClient c = client(b -> b);
    get(c.connect());
    List<CompletableFuture<JsonNode>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(call(c, "Heartbeat"));
    }
    for (CompletableFuture<JsonNode> f : all) {
      assertThat(get(f).has("currentTime")).isTrue();
    }
    c.handle("GetConfiguration", call -> Map.of("configurationKey", List.of()));
    assertThat(get(csms.call("CP1", "GetConfiguration", Map.of())).payload().has("configurationKey")).isTrue();
    assertCleanEnd(c);
  }

  @Test
  void delayedLinkKeepsOrderAndAnswers() throws Exception {
    proxy.delay(Duration.ofMillis(30));
    OcppClient c = client(b -> b);
    get(c.connect());
    List<CompletableFuture<JsonNode>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(call(c, "Heartbeat"));
    }
    all.forEach(f -> assertThat(get(f).has("currentTime")).isTrue());
    assertCleanEnd(c);
  }

  @Test
  void twoThousandServerSideDropsEachRecovered() throws Exception {
    Semaphore opens = new Semaphore(0);
    OcppClient c =
        client(b -> b.backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .listener(new ClientListener() {
              @Override
              public void onOpen(OpenEvent e) {
                opens.release();
              }
            }));
    get(c.connect());
    for (int i = 0; i < 2000; i++) {
      assertThat(opens.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("open %d", i).isTrue();
      proxy.resetAll();
    }
    assertThat(opens.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertRecovered(c);
    assertThat(proxy.accepted()).isGreaterThanOrEqualTo(2001);
    assertCleanEnd(c);
  }

  @Test
  void twoThousandConnectCloseCyclesLeaveNothingReachable() throws Exception {
    WeakReference<OcppClient> ref = cycles(2000);
    assertCleanEnd(null);
    // Nothing the library keeps (timers, event loops, executors) still refers to the client.
    await().atMost(WAIT).until(() -> {
      System.gc();
      return ref.get() == null;
    });
  }

  /** Runs connect/close cycles on a fresh client; returns a weak reference to it, closed. */
  private WeakReference<OcppClient> cycles(int n) {
    OcppClient c = client(b -> b);
    for (int i = 0; i < n; i++) {
      CompletableFuture<OpenEvent> connect = c.connect();
      if (i % 2 == 0) {
        get(connect); // half the cycles open fully, half race the close
      }
      get(c.close(CloseOptions.defaults()));
      assertThat(connect).isDone();
    }
    get(c.connect());
    assertRecovered(c);
    get(c.close(CloseOptions.defaults()));
    clients.remove(c);
    return new WeakReference<>(c);
  }
}
