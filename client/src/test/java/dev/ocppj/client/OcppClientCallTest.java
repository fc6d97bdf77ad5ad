package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OcppClientCallTest extends ClientTestBase {

  record BootResult(String status, int interval, String currentTime) {}

  @Test
  void aCallCompletesWithTheResultPayload() {
    OcppClient c = connected(OcppVersion.V1_6);
    JsonNode result =
        get(c.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M")));
    assertThat(result.get("status").asString()).isEqualTo("Accepted");
    Frame frame = csms.awaitCall("BootNotification");
    assertThat(frame.payload().get("chargePointVendor").asString()).isEqualTo("V");
    assertThat(frame.messageId()).hasSizeLessThanOrEqualTo(36);
    assertNoPendingCalls(c);
  }

  @Test
  void aCallCanConvertItsResultToAType() {
    OcppClient c = connected(OcppVersion.V1_6);
    BootResult boot =
        get(c.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M"), BootResult.class));
    assertThat(boot.status()).isEqualTo("Accepted");
    assertThat(boot.interval()).isEqualTo(300);
  }

  @Test
  void aResultThatDoesNotFitTheTypeFailsClearly() {
    csms.answer("Heartbeat", p -> Map.of("interval", "not a number"));
    OcppClient c = connected(OcppVersion.V1_6);
    assertThat(failure(c.call("Heartbeat", Map.of(), BootResult.class)))
        .isInstanceOf(BadMessageException.class)
        .hasMessageStartingWith("Heartbeat result does not fit BootResult");
  }

  @Test
  void aCallErrorFailsTheCallWithTheMatchingError() {
    csms.answerError("Authorize", "NotSupported", "no auth here", TestCsms.json("{\"k\":1}"));
    OcppClient c = connected(OcppVersion.V1_6);
    Throwable t = failure(c.call("Authorize", Map.of("idTag", "X")));
    assertThat(t).isInstanceOf(RpcException.NotSupported.class);
    RpcException e = (RpcException) t;
    assertThat(e.isRemote()).isTrue();
    assertThat(e.code()).contains(RpcErrorCode.NOT_SUPPORTED);
    assertThat(e.description()).isEqualTo("no auth here");
    assertThat(e.details().get("k").intValue()).isEqualTo(1);
    assertThat(e.getMessage()).matches("Authorize \\(id .+\\) failed with CALLERROR NotSupported: no auth here");
    events.await("callError IN NotSupported");
  }

  @Test
  void the16SpellingsArriveAsTheirErrorTypes() {
    csms.answerError("A", "FormationViolation", "bad", null);
    csms.answerError("B", "OccurenceConstraintViolation", "missing", null);
    OcppClient c = connected(OcppVersion.V1_6);
    assertThat(failure(c.call("A", null))).isInstanceOf(RpcException.FormatViolation.class);
    RpcException b = (RpcException) failure(c.call("B", null));
    assertThat(b).isInstanceOf(RpcException.OccurrenceConstraintViolation.class);
    assertThat(b.wireCode()).isEqualTo("OccurenceConstraintViolation");
  }

  @Test
  void anUnknownErrorCodeIsKeptVerbatim() {
    csms.answerError("DataTransfer", "VendorError42", "vendor says no", null);
    OcppClient c = connected(OcppVersion.V2_0_1);
    RpcException e = (RpcException) failure(c.call("DataTransfer", Map.of("vendorId", "x")));
    assertThat(e).isInstanceOf(RpcException.Unrecognized.class);
    assertThat(e.wireCode()).isEqualTo("VendorError42");
    assertThat(e.code()).isEmpty();
  }

  @Test
  void aCallWithoutAnAnswerTimesOutAndALateAnswerIsDropped() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callTimeout(Duration.ofMillis(300)));
    CompletableFuture<JsonNode> call = c.call("Heartbeat", Map.of());
    Frame frame = csms.awaitCall("Heartbeat");
    assertThat(failure(call))
        .isInstanceOf(CallTimeoutException.class)
        .hasMessage("Heartbeat (id " + frame.messageId() + ") timed out after PT0.3S");
    assertNoPendingCalls(c);
    peer.sendRaw("[3,\"" + frame.messageId() + "\",{\"currentTime\":\"2026-01-01T00:00:00Z\"}]");
    events.await("message IN [3,\"" + frame.messageId());
    // Dropped quietly: the next call works and no bad message was reported.
    assertThat(get(c.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M"))))
        .isNotNull();
    events.assertNone("badMessage");
    events.assertNone("callResult IN Heartbeat");
  }

  @Test
  void aCallsOwnTimeoutOverridesTheDefault() {
    csms.noAnswer("Heartbeat");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> call =
        c.call("Heartbeat", Map.of(), CallOptions.defaults().withTimeout(Duration.ofMillis(200)));
    assertThat(failure(call)).isInstanceOf(CallTimeoutException.class).hasMessageEndingWith("PT0.2S");
  }

  @Test
  void theTimeoutStartsWhenACallIsSentNotWhileItWaitsInTheQueue() {
    csms.noAnswer("Slow");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> slow =
        c.call("Slow", null, CallOptions.defaults().withTimeout(Duration.ofSeconds(2)));
    // Waits about 2 s behind Slow, longer than its own 1 s timeout but within its 5 s queue
    // timeout, and must still succeed.
    CompletableFuture<JsonNode> queued =
        c.call(
            "Heartbeat",
            null,
            CallOptions.defaults().withTimeout(Duration.ofSeconds(1)).withQueueTimeout(Duration.ofSeconds(5)));
    assertThat(failure(slow)).isInstanceOf(CallTimeoutException.class);
    assertThat(get(queued).has("currentTime")).isTrue();
    assertThat(csms.takeFrame().action()).isEqualTo("Slow");
    assertThat(csms.takeFrame().action()).isEqualTo("Heartbeat");
  }

  @Test
  void callsGoOutOneAtATimeInOrder() {
    csms.noAnswer("A").noAnswer("B").noAnswer("C");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> a = c.call("A", null);
    CompletableFuture<JsonNode> b = c.call("B", null);
    CompletableFuture<JsonNode> cc = c.call("C", null);
    Frame fa = csms.awaitCall("A");
    csms.assertNoMoreFrames(Duration.ofMillis(200));
    assertThat(c.pendingCounts()).containsExactly(1, 2);
    peer.sendRaw("[3,\"" + fa.messageId() + "\",{\"n\":1}]");
    Frame fb = csms.awaitCall("B");
    peer.sendRaw("[3,\"" + fb.messageId() + "\",{\"n\":2}]");
    Frame fc = csms.awaitCall("C");
    peer.sendRaw("[3,\"" + fc.messageId() + "\",{\"n\":3}]");
    assertThat(get(a).get("n").intValue()).isEqualTo(1);
    assertThat(get(b).get("n").intValue()).isEqualTo(2);
    assertThat(get(cc).get("n").intValue()).isEqualTo(3);
  }

  @Test
  void callConcurrencyAllowsThatManyInFlight() {
    csms.noAnswer("A");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callConcurrency(2));
    c.call("A", null);
    c.call("A", null);
    c.call("A", null);
    csms.awaitCall("A");
    csms.awaitCall("A");
    csms.assertNoMoreFrames(Duration.ofMillis(200));
    assertThat(c.pendingCounts()).containsExactly(2, 1);
  }

  @Test
  void cancellingACallFreesItsSlotAndDropsTheLateAnswer() {
    csms.noAnswer("A");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> a = c.call("A", null);
    CompletableFuture<JsonNode> hb = c.call("Heartbeat", null);
    Frame fa = csms.awaitCall("A");
    assertThat(a.cancel(false)).isTrue();
    assertThat(get(hb).has("currentTime")).isTrue();
    csms.awaitCall("Heartbeat");
    peer.sendRaw("[3,\"" + fa.messageId() + "\",{}]");
    events.await("message IN [3,\"" + fa.messageId());
    assertThat(a).isCancelled();
    assertNoPendingCalls(c);
    events.assertNone("badMessage");
  }

  @Test
  void aCancelTokenCancelsEveryCallThatUsesIt() {
    csms.noAnswer("A");
    OcppClient c = connected(OcppVersion.V1_6);
    CancelToken token = new CancelToken();
    CallOptions opts = CallOptions.defaults().withCancelToken(token);
    CompletableFuture<JsonNode> inFlight = c.call("A", null, opts);
    CompletableFuture<JsonNode> queued = c.call("A", null, opts);
    csms.awaitCall("A");
    token.cancel();
    assertThat(failure(inFlight)).isInstanceOf(CancellationException.class);
    assertThat(failure(queued)).isInstanceOf(CancellationException.class);
    assertNoPendingCalls(c);
    assertThat(failure(c.call("A", null, opts))).isInstanceOf(CancellationException.class);
  }

  @Test
  void aPeerCloseFailsInFlightCallsWithTheCloseCodeAndQueuedOnesAsNotSent() {
    csms.noAnswer("A");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.reconnect(false));
    CompletableFuture<JsonNode> inFlight = c.call("A", null);
    CompletableFuture<JsonNode> queued = c.call("A", null);
    Frame fa = csms.awaitCall("A");
    peer.close(4000, "bye");
    assertThat(failure(inFlight))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessage(
            "A (id " + fa.messageId() + ") failed: connection closed with code 4000 (bye) before an answer arrived");
    ConnectionClosedException e = (ConnectionClosedException) failure(inFlight);
    assertThat(e.code()).isEqualTo(4000);
    assertThat(e.reason()).isEqualTo("bye");
    assertThat(failure(queued))
        .isInstanceOf(ClientClosedException.class)
        .hasMessageEndingWith("was not sent: the connection closed with code 4000 (bye)");
    events.await("disconnect 4000 bye");
    events.await("close 4000 bye");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }

  @Test
  void aDroppedConnectionFailsInFlightCallsWith1006() {
    csms.noAnswer("A");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> inFlight = c.call("A", null);
    csms.awaitCall("A");
    peer.drop();
    Throwable t = failure(inFlight);
    assertThat(t).isInstanceOf(ConnectionClosedException.class);
    assertThat(((ConnectionClosedException) t).code()).isEqualTo(1006);
  }

  @Test
  void aCallOnAClosedClientFailsAtOnce() {
    OcppClient c = client(OcppVersion.V1_6);
    assertThat(failure(c.call("Heartbeat", null)))
        .isInstanceOf(ClientClosedException.class)
        .hasMessage("Heartbeat was not sent: the client is CLOSED; call connect() first");
  }

  @Test
  void aCallMadeWhileConnectingGoesOutOnOpen() {
    OcppClient c = client(OcppVersion.V1_6);
    CompletableFuture<OpenEvent> open = c.connect();
    CompletableFuture<JsonNode> hb = c.call("Heartbeat", null);
    assertThat(get(hb).has("currentTime")).isTrue();
    assertThat(open).isDone();
  }

  @Test
  void messageIdsAreUniqueAndShort() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callConcurrency(16));
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(c.call("Heartbeat", null));
    }
    calls.forEach(ClientTestBase::get);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      String id = csms.takeFrame().messageId();
      assertThat(id.length()).isLessThanOrEqualTo(36);
      ids.add(id);
    }
    assertThat(ids).hasSize(300);
  }

  @Test
  void paramsMustBeAJsonObject() {
    OcppClient c = connected(OcppVersion.V1_6);
    assertThatThrownBy(() -> c.call("Heartbeat", "text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("params of Heartbeat must be a JSON object, was string");
    assertThatThrownBy(() -> c.call("Heartbeat", List.of(1)))
        .hasMessage("params of Heartbeat must be a JSON object, was array");
    assertThatThrownBy(() -> c.call("", null)).hasMessage("action must not be empty");
    get(c.call("Heartbeat", null));
    assertThat(csms.awaitCall("Heartbeat").payload().toString()).isEqualTo("{}");
  }

  @Test
  void objectsAreSerialisedAsTheirJson() {
    record Boot(String chargePointVendor, String chargePointModel) {}
    OcppClient c = connected(OcppVersion.V1_6);
    get(c.call("BootNotification", new Boot("V", "M")));
    assertThat(csms.awaitCall("BootNotification").payload().toString())
        .isEqualTo("{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}");
  }

  @Test
  void aVersionedCallMustMatchTheNegotiatedVersion() {
    csms.supportedProtocols("ocpp1.6");
    OcppClient c =
        connected(OcppVersion.V1_6, b -> b.protocols(OcppVersion.V2_0_1, OcppVersion.V1_6));
    assertThat(failure(c.call(OcppVersion.V2_0_1, "BootNotification", Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BootNotification is an ocpp2.0.1 call, but the connection speaks ocpp1.6");
    assertThat(get(c.call(OcppVersion.V1_6, "Heartbeat", Map.of())).has("currentTime")).isTrue();
    assertThatThrownBy(() -> c.call(OcppVersion.V2_1, "Heartbeat", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Heartbeat is an ocpp2.1 call, but the client offers only [ocpp2.0.1, ocpp1.6]");
  }

  @Test
  void aVersionedCallMadeWhileConnectingIsCheckedWhenSent() {
    csms.supportedProtocols("ocpp1.6");
    OcppClient c = client(OcppVersion.V1_6, b -> b.protocols(OcppVersion.V2_0_1, OcppVersion.V1_6));
    c.connect();
    assertThat(failure(c.call(OcppVersion.V2_0_1, "BootNotification", Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("is an ocpp2.0.1 call, but the connection speaks ocpp1.6");
    csms.assertNoMoreFrames(Duration.ofMillis(100));
  }
}
