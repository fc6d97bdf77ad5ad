package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.CallOutcome.Kind;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.testkit.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@link ClientMetrics} hook: what it hears, with numbers, against a real CSMS. */
class ClientMetricsTest extends ClientTestBase {

  /** Records every event; callStarted hands back a handle that callEnded must get. */
  static final class Recorder implements ClientMetrics {
    record Ended(CallInfo call, Object handle, CallOutcome outcome) {}

    final List<CallInfo> started = new CopyOnWriteArrayList<>();
    final List<Ended> ended = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<String> reconnects = new CopyOnWriteArrayList<>();
    final List<String> badMessages = new CopyOnWriteArrayList<>();
    final List<Duration> pongs = new CopyOnWriteArrayList<>();
    final AtomicInteger pongTimeouts = new AtomicInteger();
    final List<OcppClient> created = new CopyOnWriteArrayList<>();
    final List<OcppClient> closed = new CopyOnWriteArrayList<>();

    @Override
    public void clientCreated(OcppClient client) {
      created.add(client);
    }

    @Override
    public void clientClosed(OcppClient client) {
      closed.add(client);
    }

    @Override
    public Object callStarted(CallInfo call) {
      started.add(call);
      return "handle-" + call.messageId();
    }

    @Override
    public void callEnded(CallInfo call, Object handle, CallOutcome outcome) {
      ended.add(new Ended(call, handle, outcome));
    }

    @Override
    public void stateChanged(OcppClient client, ClientState from, ClientState to) {
      states.add(from + ">" + to);
    }

    @Override
    public void reconnectScheduled(OcppClient client, int attempt, Duration delay) {
      reconnects.add(attempt + "@" + delay);
    }

    @Override
    public void badMessage(OcppClient client, String reason) {
      badMessages.add(reason);
    }

    @Override
    public void pong(OcppClient client, Duration roundTrip) {
      pongs.add(roundTrip);
    }

    @Override
    public void pongTimeout(OcppClient client) {
      pongTimeouts.incrementAndGet();
    }

    List<Ended> endedWith(Direction direction) {
      return ended.stream().filter(e -> e.call().direction() == direction).collect(Collectors.toList());
    }

    Ended awaitOneEnded(Direction direction) {
      await().atMost(WAIT).until(() -> endedWith(direction).size() >= 1);
      List<Ended> e = endedWith(direction);
      assertThat(e).hasSize(1);
      return e.get(0);
    }
  }

  final Recorder hook = new Recorder();

  OcppClient connectedWithHook(OcppVersion version, java.util.function.UnaryOperator<OcppClient.Builder> config) {
    return connected(version, b -> config.apply(b.metrics(hook)));
  }

  /**
   * A transaction message's hook runs without the transaction queue's lock: from callStarted,
   * another thread can queue the next transaction message (its call() returns). Before, the hook
   * ran under that lock and the other thread's call() blocked until the hook returned.
   */
  @Test
  void theHookOfATransactionMessageRunsOutsideTheTransactionQueuesLock() throws Exception {
    java.util.concurrent.CompletableFuture<Boolean> otherCallReturned = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.atomic.AtomicReference<OcppClient> client = new java.util.concurrent.atomic.AtomicReference<>();
    ClientMetrics hookThatCalls = new ClientMetrics() {
      @Override
      public Object callStarted(CallInfo call) {
        if (call.action().equals("StartTransaction") && !otherCallReturned.isDone()) {
          Thread other = new Thread(() -> {
            client.get().call("MeterValues", Map.of("connectorId", 1, "transactionId", 1, "meterValue",
                java.util.List.of(Map.of("timestamp", "2026-01-01T00:00:00Z",
                    "sampledValue", java.util.List.of(Map.of("value", "1"))))));
            otherCallReturned.complete(true);
          });
          other.start();
          try {
            // Bounded: on the old code this wait ran out with the lock held.
            otherCallReturned.get(5, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            otherCallReturned.complete(false);
          }
        }
        return null;
      }
    };
    OcppClient c = connected(OcppVersion.V1_6, b -> b.metrics(hookThatCalls)
        .transactionStore(dev.ocppj.client.store.TransactionStore.inMemory()));
    client.set(c);
    get(c.call("StartTransaction", Map.of("connectorId", 1, "idTag", "04A1B2C3D4E5F6", "meterStart", 0,
        "timestamp", "2026-01-01T00:00:00Z")));
    assertThat(otherCallReturned.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(csms.awaitCall("MeterValues").payload().path("transactionId").asInt()).isEqualTo(1);
  }

  @Test
  void everyCallStartsAndEndsOnceWithItsResult() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);
    for (int i = 0; i < 5; i++) {
      get(c.call("Heartbeat", Map.of()));
    }

    await().atMost(WAIT).until(() -> hook.ended.size() == 5);
    assertThat(hook.started).hasSize(5);
    assertThat(hook.started).allSatisfy(s -> {
      assertThat(s.direction()).isEqualTo(Direction.OUT);
      assertThat(s.action()).isEqualTo("Heartbeat");
      assertThat(s.version()).isEqualTo(OcppVersion.V1_6);
      assertThat(s.identity()).isEqualTo("CP1");
    });
    assertThat(hook.ended).allSatisfy(e -> {
      assertThat(e.outcome().kind()).isEqualTo(Kind.RESULT);
      assertThat(e.outcome().errorCode()).isNull();
      assertThat(e.handle()).isEqualTo("handle-" + e.call().messageId());
      assertThat(e.outcome().queued()).isGreaterThanOrEqualTo(Duration.ZERO);
      assertThat(e.outcome().duration()).isGreaterThanOrEqualTo(e.outcome().queued());
    });
    assertThat(hook.ended.stream().map(e -> e.call().messageId()).distinct().count()).isEqualTo(5);
  }

  @Test
  void aCallErrorEndsWithTheCodeAsReceived() {
    csms.answerError("Heartbeat", "SecurityError", "no", null);
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);

    failure(c.call("Heartbeat", Map.of()));

    Recorder.Ended e = hook.awaitOneEnded(Direction.OUT);
    assertThat(e.outcome().kind()).isEqualTo(Kind.ERROR);
    assertThat(e.outcome().errorCode()).isEqualTo("SecurityError");
  }

  @Test
  void anUnansweredCallEndsWithTimeoutAfterItsTimeout() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b.callTimeout(Duration.ofMillis(200)));

    failure(c.call("Heartbeat", Map.of()));

    Recorder.Ended e = hook.awaitOneEnded(Direction.OUT);
    assertThat(e.outcome().kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.outcome().duration()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aCallInFlightWhenTheConnectionDropsEndsClosed() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b.reconnect(false));
    CompletableFuture<JsonNode> call = c.call("Heartbeat", Map.of());
    csms.awaitCall("Heartbeat");

    csms.chargePoint("CP1").drop();
    failure(call);

    Recorder.Ended e = hook.awaitOneEnded(Direction.OUT);
    assertThat(e.outcome().kind()).isEqualTo(Kind.CLOSED);
  }

  @Test
  void aCallRefusedByAFullQueueEndsRejectedAndTheCountsShowTheQueue() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b.maxQueuedCalls(2));
    c.call("Heartbeat", Map.of());
    csms.awaitCall("Heartbeat");
    c.call("Heartbeat", Map.of());
    c.call("Heartbeat", Map.of());
    assertThat(c.pendingCalls()).isEqualTo(1);
    assertThat(c.queuedCalls()).isEqualTo(2);

    CompletableFuture<JsonNode> refused = c.call("Heartbeat", Map.of());

    assertThat(refused).isCompletedExceptionally();
    Recorder.Ended e = hook.awaitOneEnded(Direction.OUT);
    assertThat(e.outcome().kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.outcome().queued()).isEqualTo(e.outcome().duration()); // never sent
    assertThat(hook.started).hasSize(4);
  }

  @Test
  void aCancelledCallEndsRejectedOnce() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);
    CompletableFuture<JsonNode> call = c.call("Heartbeat", Map.of());
    csms.awaitCall("Heartbeat");

    call.cancel(false);
    c.close(CloseOptions.defaults().withForce(true)).join();

    assertThat(hook.endedWith(Direction.OUT)).hasSize(1);
    assertThat(hook.ended.get(0).outcome().kind()).isEqualTo(Kind.REJECTED);
  }

  @Test
  void anIncomingCallEndsWhenItsAnswerIsSent() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);
    c.handle("Reset", call -> Map.of("status", "Accepted"));

    Frame answer = get(peer.call("Reset", Map.of("type", "Soft")));

    assertThat(answer.messageType()).isEqualTo(3);
    Recorder.Ended e = hook.awaitOneEnded(Direction.IN);
    assertThat(e.call().action()).isEqualTo("Reset");
    assertThat(e.call().messageId()).isEqualTo(answer.messageId());
    assertThat(e.outcome().kind()).isEqualTo(Kind.RESULT);
    assertThat(e.outcome().duration()).isGreaterThanOrEqualTo(e.outcome().queued());
  }

  @Test
  void anIncomingCallAnsweredWithAnErrorEndsWithTheCodeSent() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);
    c.handle("Reset", call -> {
      throw new RpcException.SecurityError("not you");
    });

    Frame answer = get(peer.call("Reset", Map.of("type", "Soft")));

    assertThat(answer.errorCode()).isEqualTo("SecurityError");
    Recorder.Ended e = hook.awaitOneEnded(Direction.IN);
    assertThat(e.outcome().kind()).isEqualTo(Kind.ERROR);
    assertThat(e.outcome().errorCode()).isEqualTo("SecurityError");
  }

  @Test
  void anIncomingCallWhoseHandlerTakesTooLongEndsWithTimeout() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b.handlerTimeout(Duration.ofMillis(200)));
    CompletableFuture<Object> never = new CompletableFuture<>();
    c.handle("Reset", call -> never);

    Frame answer = get(peer.call("Reset", Map.of("type", "Soft")));

    assertThat(answer.errorCode()).isEqualTo("InternalError");
    Recorder.Ended e = hook.awaitOneEnded(Direction.IN);
    assertThat(e.outcome().kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.outcome().duration()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    never.complete(Map.of("status", "Accepted")); // too late: no second end
    get(c.call("Heartbeat", Map.of()));
    await().atMost(WAIT).until(() -> hook.endedWith(Direction.OUT).size() == 1);
    assertThat(hook.endedWith(Direction.IN)).hasSize(1);
  }

  @Test
  void anIncomingCallTheHandlerDoesNotAnswerEndsWithNoReply() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);
    c.handle("Reset", call -> CallHandler.NO_REPLY);

    peer.call("Reset", Map.of("type", "Soft"));

    Recorder.Ended e = hook.awaitOneEnded(Direction.IN);
    assertThat(e.outcome().kind()).isEqualTo(Kind.NO_REPLY);
    assertThat(e.outcome().errorCode()).isNull();
  }

  @Test
  void stateChangesAreReportedFromBuildToTheFinalClose() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);
    assertThat(hook.created).containsExactly(c);

    get(c.closeAsync());

    assertThat(hook.states).containsExactly("CLOSED>CONNECTING", "CONNECTING>OPEN", "OPEN>CLOSING", "CLOSING>CLOSED");
    assertThat(hook.closed).containsExactly(c);
  }

  @Test
  void aDropIsAStateChangeAndAScheduledReconnect() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b.backoff(Duration.ofMillis(50), Duration.ofMillis(100)));

    csms.chargePoint("CP1").drop();

    await().atMost(WAIT).until(() -> hook.states.size() >= 4);
    assertThat(hook.states).startsWith("CLOSED>CONNECTING", "CONNECTING>OPEN", "OPEN>CONNECTING", "CONNECTING>OPEN");
    assertThat(hook.reconnects).hasSize(1);
    assertThat(hook.reconnects.get(0)).startsWith("1@");
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
  }

  @Test
  void badFramesAreReportedWithAFixedReason() {
    OcppClient c = connectedWithHook(OcppVersion.V1_6, b -> b);

    peer.sendRaw("not json");
    peer.sendRaw("[2, \"id-1\", \"Reset\"]");
    peer.sendRaw("[3, \"nobody-asked\", {}]");
    get(c.call("Heartbeat", Map.of())); // after the bad frames, in order

    await().atMost(WAIT).until(() -> hook.badMessages.size() == 3);
    assertThat(hook.badMessages).containsExactly("not json", "malformed", "unexpected answer");
  }

  @Test
  void aPongReportsTheMeasuredRoundTrip() {
    connectedWithHook(OcppVersion.V1_6, b -> b.pingInterval(Duration.ofMillis(100)));

    await().atMost(WAIT).until(() -> hook.pongs.size() >= 2);

    assertThat(hook.pongs).allSatisfy(rt -> assertThat(rt).isPositive().isLessThan(WAIT));
    assertThat(hook.pongTimeouts).hasValue(0);
  }

  @Test
  void aMissingPongIsReported() {
    OcppClient c =
        connectedWithHook(
            OcppVersion.V1_6, b -> b.pingInterval(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(100)).reconnect(false));

    peer.stopAnsweringPings();

    await().atMost(WAIT).until(() -> c.state() == ClientState.CLOSED);
    assertThat(hook.pongTimeouts).hasValue(1);
  }

  @Test
  void everyStartedCallEndsExactlyOnceWhenTheConnectionDropsUnderLoad() throws Exception {
    csms.answerDelay("Heartbeat", Duration.ofMillis(5));
    OcppClient c =
        connectedWithHook(
            OcppVersion.V1_6,
            b -> b.callConcurrency(8).maxQueuedCalls(500).callTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(40)));
    ExecutorService callers = Executors.newFixedThreadPool(4);
    List<CompletableFuture<JsonNode>> calls = new CopyOnWriteArrayList<>();
    try {
      List<CompletableFuture<?>> submitted = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        submitted.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 50; i++) {
            calls.add(c.call("Heartbeat", Map.of()));
          }
        }, callers));
      }
      csms.awaitCall("Heartbeat");
      csms.chargePoint("CP1").drop();
      for (CompletableFuture<?> s : submitted) {
        get(s);
      }
    } finally {
      callers.shutdown();
      assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    for (CompletableFuture<JsonNode> call : calls) {
      call.handle((v, e) -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    await().atMost(WAIT).until(() -> hook.ended.size() >= 200);
    assertThat(hook.started).hasSize(200);
    assertThat(hook.ended).hasSize(200);
    Set<String> ids = hook.ended.stream().map(e -> e.call().messageId()).collect(Collectors.toSet());
    assertThat(ids).hasSize(200);
    assertThat(hook.ended).allSatisfy(e -> assertThat(e.handle()).isEqualTo("handle-" + e.call().messageId()));
  }

  @Test
  void aThrowingHookIsIgnored() {
    ClientMetrics broken =
        new ClientMetrics() {
          @Override
          public Object callStarted(CallInfo call) {
            throw new IllegalStateException("broken hook");
          }

          @Override
          public void stateChanged(OcppClient client, ClientState from, ClientState to) {
            throw new IllegalStateException("broken hook");
          }
        };
    OcppClient c = connected(OcppVersion.V1_6, b -> b.metrics(broken));

    assertThat(get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
  }
}
