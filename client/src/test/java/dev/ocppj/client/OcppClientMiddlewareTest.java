package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.rpc.LoggingMiddleware;
import dev.ocppj.client.rpc.Middleware;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class OcppClientMiddlewareTest extends ClientTestBase {

  /** Proceeds with {@code name} set to {@code value} in the params. */
  private static CompletionStage<JsonNode> proceedWith(Middleware.Chain chain, String name, Object value) {
    ObjectNode p = (ObjectNode) chain.context().params().deepCopy();
    p.set(name, RpcCodec.mapper().valueToTree(value));
    return chain.proceed(chain.context().withParams(p));
  }

  /** A connected 1.6 client with {@code m} working in {@code phase} only. */
  private OcppClient connectedWith(RpcPhase phase, Middleware m) {
    return connected(OcppVersion.V1_6, b -> b.use(in(phase, m)));
  }

  /** Runs {@code m} only in {@code phase}; passes everything else on. */
  private static Middleware in(RpcPhase phase, Middleware m) {
    return chain -> chain.context().phase() == phase ? m.intercept(chain) : chain.proceed();
  }

  @Test
  void everyMessageOfAnExchangePassesThroughItsPhase() {
    List<String> phases = Collections.synchronizedList(new ArrayList<>());
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b ->
                b.use(
                    chain -> {
                      phases.add(chain.context().phase() + " " + chain.context().action());
                      return chain.proceed();
                    }));
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    c.handle("UnlockConnector", call -> { throw new RpcException.NotSupported("no"); });
    csms.answerError("Authorize", "NotSupported", "", null);
    get(c.call("Heartbeat", null));
    failure(c.call("Authorize", Map.of("idTag", "x")));
    get(peer.call("Reset", Map.of()));
    get(peer.call("UnlockConnector", Map.of()));
    assertThat(phases)
        .containsExactly(
            "OUTGOING_CALL Heartbeat",
            "INCOMING_RESULT Heartbeat",
            "OUTGOING_CALL Authorize",
            "INCOMING_ERROR Authorize",
            "INCOMING_CALL Reset",
            "OUTGOING_RESULT Reset",
            "INCOMING_CALL UnlockConnector",
            "OUTGOING_ERROR UnlockConnector");
  }

  @Test
  void anOutgoingCallMiddlewareCanChangeParamsAndTimeTheExchange() {
    List<Long> took = new ArrayList<>();
    OcppClient c = connectedWith(RpcPhase.OUTGOING_CALL,
        chain -> {
          long start = System.nanoTime();
          return proceedWith(chain, "injected", true)
              .whenComplete((r, e) -> took.add(System.nanoTime() - start));
        });
    get(c.call("Heartbeat", Map.of()));
    assertThat(csms.awaitCall("Heartbeat").payload().toString()).isEqualTo("{\"injected\":true}");
    assertThat(took).hasSize(1);
    assertThat(took.get(0)).isPositive();
  }

  @Test
  void anOutgoingCallMiddlewareCanShortCircuit() {
    OcppClient c = connectedWith(RpcPhase.OUTGOING_CALL,
        chain -> CompletableFuture.completedFuture(TestCsms.json("{\"cached\":1}")));
    assertThat(get(c.call("Heartbeat", null)).get("cached").intValue()).isEqualTo(1);
    csms.assertNoMoreFrames(java.time.Duration.ofMillis(150));
    assertNoPendingCalls(c);
  }

  @Test
  void aFailingOutgoingCallMiddlewareFailsTheCall() {
    OcppClient c = connectedWith(RpcPhase.OUTGOING_CALL,
        chain -> { throw new IllegalStateException("no way"); });
    assertThat(failure(c.call("Heartbeat", null))).hasMessage("no way");
    csms.assertNoMoreFrames(java.time.Duration.ofMillis(150));
  }

  @Test
  void anIncomingCallMiddlewareCanAnswerInsteadOfTheHandler() {
    OcppClient c = connectedWith(RpcPhase.INCOMING_CALL,
        chain -> CompletableFuture.completedFuture(TestCsms.json("{\"status\":\"Rejected\"}")));
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    assertThat(get(peer.call("Reset", Map.of())).payload().get("status").asString()).isEqualTo("Rejected");
  }

  @Test
  void aFailingIncomingCallMiddlewareStillGetsTheCallAnswered() {
    OcppClient c = connectedWith(RpcPhase.INCOMING_CALL,
        chain -> { throw new IllegalStateException("mw bug"); });
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    assertThat(get(peer.call("Reset", Map.of())).errorCode()).isEqualTo("InternalError");
  }

  @Test
  void anIncomingResultMiddlewareCanChangeWhatTheCallerGets() {
    OcppClient c = connectedWith(RpcPhase.INCOMING_RESULT,
        chain -> proceedWith(chain, "seen", true));
    assertThat(get(c.call("Heartbeat", null)).get("seen").booleanValue()).isTrue();
  }

  @Test
  void aFailingIncomingResultMiddlewareFailsTheCallAtOnce() {
    OcppClient c = connectedWith(RpcPhase.INCOMING_RESULT,
        chain -> { throw new IllegalArgumentException("bad result"); });
    assertThat(failure(c.call("Heartbeat", null))).isInstanceOf(IllegalArgumentException.class).hasMessage("bad result");
    assertNoPendingCalls(c);
  }

  @Test
  void anIncomingErrorMiddlewareCanRecover() {
    csms.answerError("Authorize", "InternalError", "db down", null);
    OcppClient c = connectedWith(RpcPhase.INCOMING_ERROR,
        chain -> {
          assertThat(chain.context().error()).isInstanceOf(RpcException.InternalError.class);
          return CompletableFuture.completedFuture(TestCsms.json("{\"fallback\":true}"));
        });
    assertThat(get(c.call("Authorize", Map.of("idTag", "x"))).get("fallback").booleanValue()).isTrue();
  }

  @Test
  void outgoingAnswerMiddlewareCanChangeResultsAndErrors() {
    OcppClient c =
        connected(
            OcppVersion.V2_0_1,
            b ->
                b.use(
                        in(
                            RpcPhase.OUTGOING_RESULT,
                            chain -> proceedWith(chain, "signed", "yes")))
                    .use(
                        in(
                            RpcPhase.OUTGOING_ERROR,
                            chain -> chain.proceed(chain.context().withError(new RpcException.SecurityError("masked"))))));
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    c.handle("UnlockConnector", call -> { throw new RpcException.NotSupported("details"); });
    assertThat(get(peer.call("Reset", Map.of())).payload().get("signed").asString()).isEqualTo("yes");
    Frame error = get(peer.call("UnlockConnector", Map.of()));
    assertThat(error.errorCode()).isEqualTo("SecurityError");
    assertThat(error.errorDescription()).isEqualTo("masked");
  }

  @Test
  void aFailingOutgoingResultMiddlewareSendsTheAnswerUnchanged() {
    OcppClient c = connectedWith(RpcPhase.OUTGOING_RESULT,
        chain -> { throw new IllegalStateException("mw bug"); });
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    assertThat(get(peer.call("Reset", Map.of())).payload().get("status").asString()).isEqualTo("Accepted");
  }

  @Test
  void middlewareAddedLaterRunsAfterAndCanBeRemoved() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    OcppClient c = connected(OcppVersion.V1_6, b -> b.use(mark("first", order)));
    Registration second = c.use(mark("second", order));
    get(c.call("Heartbeat", null));
    second.remove();
    get(c.call("Heartbeat", null));
    assertThat(order).containsExactly("first", "second", "first");
  }

  private static Middleware mark(String name, List<String> order) {
    return in(RpcPhase.OUTGOING_CALL, chain -> {
      order.add(name);
      return chain.proceed();
    });
  }

  @Test
  void theLoggingMiddlewareLogsEachExchangeWithTheIdentity() {
    RecordingLogger log = new RecordingLogger();
    OcppClient c = connected(OcppVersion.V1_6, b -> b.use(LoggingMiddleware.create(log)));
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    csms.answerError("Authorize", "NotSupported", "nope", null);
    get(c.call("Heartbeat", null));
    failure(c.call("Authorize", Map.of("idTag", "x")));
    get(peer.call("Reset", Map.of("type", "Soft")));
    List<String> lines = log.lines();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).matches("INFO \\[CP1\\] CALL -> Heartbeat \\(id .+\\) \\{\\}");
    assertThat(lines.get(1)).matches("INFO \\[CP1\\] CALLRESULT <- Heartbeat \\(id .+\\) in \\d+\\.\\d{3} ms \\{\"currentTime\":.+\\}");
    assertThat(lines.get(3)).matches("WARN \\[CP1\\] CALL Authorize \\(id .+\\) failed after .+ ms: .*NotSupported: nope");
    assertThat(lines.get(4)).isEqualTo("INFO [CP1] CALL <- Reset (id srv-1) {\"type\":\"Soft\"}");
    assertThat(lines.get(5)).matches("INFO \\[CP1\\] CALLRESULT -> Reset \\(id srv-1\\) in .+ ms \\{\"status\":\"Accepted\"\\}");
  }

  /** An SLF4J logger that keeps what it is given. */
  static final class RecordingLogger extends LegacyAbstractLogger {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    List<String> lines() {
      return new ArrayList<>(lines);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable t) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
