package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OcppClientHandlerTest extends ClientTestBase {

  private Frame serverCall(String action, Object params) {
    return get(peer.call(action, params));
  }

  @Test
  void aHandlerAnswersWithItsResult() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("Reset", call -> Map.of("status", "Accepted", "type", call.params().get("type").asString()));
    Frame answer = serverCall("Reset", Map.of("type", "Hard"));
    assertThat(answer.messageType()).isEqualTo(3);
    assertThat(answer.payload().get("status").asString()).isEqualTo("Accepted");
    assertThat(answer.payload().get("type").asString()).isEqualTo("Hard");
    events.await("call Reset " + answer.messageId());
    events.await("callResult OUT Reset " + answer.messageId());
  }

  @Test
  void anAnswerTakesEffectBeforeTheHandlerOfACallThatArrivedAfterIt() throws Exception {
    // The CSMS answers StartTransaction and at once sends a RemoteStop for that transaction, on
    // one connection: the charge point's continuation that records the transaction id must run
    // before the RemoteStop handler looks it up.
    OcppClient c = connected(OcppVersion.V1_6);
    // The CSMS answers only once the continuation is attached: an answer delivered before it
    // (the test thread descheduled on a loaded machine) would leave nothing to hold the handler.
    CountDownLatch attached = new CountDownLatch(1);
    csms.answerRaw("StartTransaction", f -> {
      try {
        attached.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      f.chargePoint().sendRaw("[3,\"" + f.messageId() + "\",{\"transactionId\":42,\"idTagInfo\":{\"status\":\"Accepted\"}}]");
      f.chargePoint().call("RemoteStopTransaction", Map.of("transactionId", 42));
      return null;
    });
    CountDownLatch handlerStarted = new CountDownLatch(1);
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    c.handle("RemoteStopTransaction", call -> {
      handlerStarted.countDown();
      seen.add("handler");
      return Map.of("status", "Accepted");
    });
    CompletableFuture<Void> recorded = c.call("StartTransaction", Map.of()).thenAccept(answer -> {
      try {
        // Give an overtaking handler every chance to start (it must not).
        seen.add(handlerStarted.await(200, TimeUnit.MILLISECONDS) ? "handler overtook" : "continuation");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    attached.countDown();
    get(recorded);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(seen).containsExactly("continuation", "handler");
  }

  @Test
  void aHandlerMayBlockOnItsOwnCall() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("TriggerMessage", call -> {
      JsonNode heartbeat = c.call("Heartbeat", Map.of()).get(10, TimeUnit.SECONDS); // blocks a pool thread
      return Map.of("status", heartbeat.has("currentTime") ? "Accepted" : "Rejected");
    });
    Frame answer = serverCall("TriggerMessage", Map.of("requestedMessage", "Heartbeat"));
    assertThat(answer.payload().get("status").asString()).isEqualTo("Accepted");
  }

  @Test
  void aHandlerSeesTheMessageIdActionVersionAndParams() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    List<String> seen = new ArrayList<>();
    c.handle("GetVariables", call -> {
      seen.add(call.messageId() + " " + call.action() + " " + call.version() + " " + call.params());
      return Map.of();
    });
    Frame answer = serverCall("GetVariables", Map.of("a", 1));
    assertThat(seen).containsExactly(answer.messageId() + " GetVariables ocpp2.0.1 {\"a\":1}");
  }

  @Test
  void versionSpecificThenGenericThenWildcard() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle(OcppVersion.V1_6, "Reset", call -> Map.of("by", "versioned"));
    c.handle(OcppVersion.V2_0_1, "ClearCache", call -> Map.of("by", "other version"));
    c.handle("Reset", call -> Map.of("by", "generic"));
    c.handle("ClearCache", call -> Map.of("by", "generic"));
    c.handle(call -> Map.of("by", "wildcard " + call.action()));
    assertThat(serverCall("Reset", Map.of()).payload().get("by").asString()).isEqualTo("versioned");
    assertThat(serverCall("ClearCache", Map.of()).payload().get("by").asString()).isEqualTo("generic");
    assertThat(serverCall("UnlockConnector", Map.of()).payload().get("by").asString())
        .isEqualTo("wildcard UnlockConnector");
    c.removeHandler(OcppVersion.V1_6, "Reset");
    assertThat(serverCall("Reset", Map.of()).payload().get("by").asString()).isEqualTo("generic");
    c.removeHandler("Reset");
    assertThat(serverCall("Reset", Map.of()).payload().get("by").asString()).isEqualTo("wildcard Reset");
    assertThat(c.removeHandler()).isTrue();
    // Reset and ClearCache are OCPP 1.6 actions: recognised, so NotSupported without a handler.
    assertThat(serverCall("Reset", Map.of()).errorCode()).isEqualTo("NotSupported");
    c.removeAllHandlers();
    assertThat(serverCall("ClearCache", Map.of()).errorCode()).isEqualTo("NotSupported");
  }

  @Test
  void registeringASecondHandlerForAKeyFails() {
    OcppClient c = client(OcppVersion.V1_6);
    c.handle("Reset", call -> Map.of());
    assertThatThrownBy(() -> c.handle("Reset", call -> Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already registered");
  }

  @Test
  void anActionOfTheVersionWithoutAHandlerIsAnsweredNotSupported() {
    connected(OcppVersion.V2_0_1);
    Frame answer = serverCall("GetBaseReport", Map.of("requestId", 1, "reportBase", "FullInventory"));
    assertThat(answer.errorCode()).isEqualTo("NotSupported");
    assertThat(answer.errorDescription()).isEqualTo("GetBaseReport is not supported by this charge point");
    // A 1.6 action is not one of 2.0.1's: not implemented.
    assertThat(serverCall("GetConfiguration", Map.of()).errorCode()).isEqualTo("NotImplemented");
  }

  @Test
  void aHandlerThatNeverAnswersIsAnsweredInternalErrorAtItsTimeoutAndItsIdIsFreed() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.handlerTimeout(Duration.ofMillis(300)));
    c.handle("Reset", call -> new CompletableFuture<Object>()); // never completes
    c.handle("ClearCache", call -> Map.of("status", "Accepted"));
    peer.sendRaw("[2,\"same\",\"Reset\",{\"type\":\"Soft\"}]");
    Frame answer = csms.takeFrame();
    assertThat(answer.errorCode()).isEqualTo("InternalError");
    assertThat(answer.errorDescription()).isEqualTo("no answer from the handler for Reset within handlerTimeout PT0.3S");
    // The id is free again, and the handler's slot too.
    peer.sendRaw("[2,\"same\",\"ClearCache\",{}]");
    Frame again = csms.takeFrame();
    assertThat(again.messageId()).isEqualTo("same");
    assertThat(again.payload().path("status").asString()).isEqualTo("Accepted");
  }

  @Test
  void handlersRunAtMostHandlerConcurrencyAtATimeAndTheRestWaitInOrder() throws Exception {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.handlerConcurrency(2));
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    c.handle("DataTransfer", call -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      order.add(call.messageId());
      release.await(10, TimeUnit.SECONDS);
      running.decrementAndGet();
      return Map.of("status", "Accepted");
    });
    List<CompletableFuture<Frame>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(peer.call("DataTransfer", Map.of("vendorId", "v" + i)));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 2);
    release.countDown();
    for (CompletableFuture<Frame> a : answers) {
      assertThat(get(a).payload().path("status").asString()).isEqualTo("Accepted");
    }
    assertThat(most.get()).isEqualTo(2);
    assertThat(order).hasSize(6);
  }

  @Test
  void anUnknownActionIsAnsweredNotImplemented() {
    connected(OcppVersion.V2_0_1);
    Frame answer = serverCall("FooBar", Map.of());
    assertThat(answer.errorCode()).isEqualTo("NotImplemented");
    assertThat(answer.errorDescription()).isEqualTo("no handler for action FooBar");
    assertThat(answer.payload().toString()).isEqualTo("{}");
    events.await("callError OUT NotImplemented " + answer.messageId());
  }

  @Test
  void aThrownRpcErrorIsAnsweredWithItsCodeDescriptionAndDetails() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    c.handle("UnlockConnector", call -> {
      throw new RpcException.PropertyConstraintViolation(
          "no connector 9", TestCsms.json("{\"connectorId\":9}"));
    });
    Frame answer = serverCall("UnlockConnector", Map.of());
    assertThat(answer.text())
        .isEqualTo(
            "[4,\"" + answer.messageId()
                + "\",\"PropertyConstraintViolation\",\"no connector 9\",{\"connectorId\":9}]");
  }

  @Test
  void codesAreSpelledForTheNegotiatedVersion() {
    OcppClient c16 = connected(OcppVersion.V1_6);
    c16.handle("A", call -> { throw new RpcException.FormatViolation("bad"); });
    c16.handle("B", call -> { throw new RpcException.OccurrenceConstraintViolation("missing"); });
    c16.handle("C", call -> { throw new RpcException.RpcFrameworkError("2.x only"); });
    assertThat(serverCall("A", Map.of()).errorCode()).isEqualTo("FormationViolation");
    assertThat(serverCall("B", Map.of()).errorCode()).isEqualTo("OccurenceConstraintViolation");
    assertThat(serverCall("C", Map.of()).errorCode()).isEqualTo("FormationViolation");
  }

  @Test
  void codesAreSpelled2xUnder201() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    c.handle("A", call -> { throw new RpcException.FormatViolation("bad"); });
    c.handle("B", call -> { throw new RpcException.OccurrenceConstraintViolation("missing"); });
    assertThat(serverCall("A", Map.of()).errorCode()).isEqualTo("FormatViolation");
    assertThat(serverCall("B", Map.of()).errorCode()).isEqualTo("OccurrenceConstraintViolation");
  }

  @Test
  void anUnexpectedExceptionIsAnsweredInternalErrorWithoutDetailsByDefault() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("Reset", call -> { throw new IllegalStateException("secret internals"); });
    Frame answer = serverCall("Reset", Map.of());
    assertThat(answer.errorCode()).isEqualTo("InternalError");
    assertThat(answer.errorDescription())
        .isEqualTo(
            "An internal error occurred and the receiver was not able to process the requested"
                + " action successfully");
    assertThat(answer.payload().toString()).isEqualTo("{}");
    assertThat(answer.text()).doesNotContain("secret");
  }

  @Test
  void detailedErrorsCarryTheExceptionTypeAndMessage() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.respondWithDetailedErrors(true));
    c.handle("Reset", call -> { throw new IllegalStateException("relay stuck"); });
    Frame answer = serverCall("Reset", Map.of());
    assertThat(answer.errorCode()).isEqualTo("InternalError");
    assertThat(answer.errorDescription()).isEqualTo("relay stuck");
    assertThat(answer.payload().get("name").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(answer.payload().get("message").asString()).isEqualTo("relay stuck");
  }

  @Test
  void longDescriptionsAreCutTo255Characters() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("Reset", call -> { throw new RpcException.GenericError("x".repeat(400)); });
    assertThat(serverCall("Reset", Map.of()).errorDescription()).hasSize(255);
  }

  @Test
  void aHandlerMayAnswerWithACompletionStage() {
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<Object> later = new CompletableFuture<>();
    c.handle("Reset", call -> later);
    CompletableFuture<Frame> answer = peer.call("Reset", Map.of());
    csms.assertNoMoreFrames(Duration.ofMillis(100));
    later.complete(Map.of("status", "Accepted"));
    assertThat(get(answer).payload().get("status").asString()).isEqualTo("Accepted");
  }

  @Test
  void aFailedStageIsAnsweredLikeAThrow() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("Reset", call -> CompletableFuture.failedFuture(new RpcException.NotSupported("later")));
    assertThat(serverCall("Reset", Map.of()).errorCode()).isEqualTo("NotSupported");
  }

  @Test
  void noReplySendsNothing() throws Exception {
    OcppClient c = connected(OcppVersion.V1_6);
    CountDownLatch handled = new CountDownLatch(1);
    c.handle("DataTransfer", call -> {
      handled.countDown();
      return CallHandler.NO_REPLY;
    });
    peer.sendRaw("[2,\"n1\",\"DataTransfer\",{}]");
    assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
    csms.assertNoMoreFrames(Duration.ofMillis(200));
    // The id is free again: the same id is handled anew.
    peer.sendRaw("[2,\"n1\",\"Heartbeat\",{}]");
    assertThat(csms.takeFrame().errorCode()).isEqualTo("NotSupported");
  }

  @Test
  void aNullResultIsAnInternalError() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.respondWithDetailedErrors(true));
    c.handle("Reset", call -> null);
    Frame answer = serverCall("Reset", Map.of());
    assertThat(answer.errorCode()).isEqualTo("InternalError");
    assertThat(answer.errorDescription()).startsWith("the handler for Reset returned null");
  }

  @Test
  void aResultThatIsNotAnObjectIsAnInternalError() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.respondWithDetailedErrors(true));
    c.handle("Reset", call -> "Accepted");
    Frame answer = serverCall("Reset", Map.of());
    assertThat(answer.errorDescription())
        .isEqualTo("the result of the handler for Reset must be a JSON object, was string");
  }

  @Test
  void aDuplicateIdInProgressIsRefusedAndTheFirstStillAnswered201() {
    duplicateIdInProgress(OcppVersion.V2_0_1, "RpcFrameworkError");
  }

  @Test
  void aDuplicateIdInProgressIsRefusedAndTheFirstStillAnswered16() {
    duplicateIdInProgress(OcppVersion.V1_6, "FormationViolation");
  }

  private void duplicateIdInProgress(OcppVersion version, String code) {
    OcppClient c = connected(version);
    CompletableFuture<Object> release = new CompletableFuture<>();
    c.handle("Reset", call -> release);
    peer.sendRaw("[2,\"dup\",\"Reset\",{}]");
    events.await("call Reset dup");
    peer.sendRaw("[2,\"dup\",\"Reset\",{}]");
    Frame refusal = csms.takeFrame();
    assertThat(refusal.messageId()).isEqualTo("dup");
    assertThat(refusal.errorCode()).isEqualTo(code);
    assertThat(refusal.errorDescription()).isEqualTo("a CALL with message id dup is still being processed");
    release.complete(Map.of("status", "Accepted"));
    Frame answer = csms.takeFrame();
    assertThat(answer.text()).isEqualTo("[3,\"dup\",{\"status\":\"Accepted\"}]");
  }

  @Test
  void handlersRunOnTheCallbackExecutorNotTheReadThread() {
    OcppClient c = connected(OcppVersion.V1_6);
    List<String> threads = new ArrayList<>();
    c.handle("Reset", call -> {
      threads.add(Thread.currentThread().getName());
      return Map.of();
    });
    serverCall("Reset", Map.of());
    assertThat(threads).hasSize(1);
    assertThat(threads.get(0)).startsWith("ocpp-user-");
  }

  @Test
  void aHandlerThatCallsTheClientAndWaitsDoesNotDeadlock() {
    OcppClient c = connected(OcppVersion.V1_6);
    // Each handler blocks on a call of its own; the calls queue behind each other (one in
    // flight), so every pool thread can be blocked at once. The pool must add threads.
    c.handle("TriggerMessage", call -> {
      JsonNode hb = c.call("Heartbeat", null).get(10, TimeUnit.SECONDS);
      return Map.of("status", "Accepted", "time", hb.get("currentTime").asString());
    });
    int n = 2 * Runtime.getRuntime().availableProcessors() + 4;
    List<CompletableFuture<Frame>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(peer.call("TriggerMessage", Map.of("requestedMessage", "Heartbeat")));
    }
    for (CompletableFuture<Frame> a : answers) {
      assertThat(get(a).payload().get("status").asString()).isEqualTo("Accepted");
    }
  }
}
