package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.testkit.Frame;
import dev.ocppj.client.v21.NotifyPeriodicEventStream;
import dev.ocppj.client.v21.Ocpp21;
import dev.ocppj.client.v21.StreamDataElement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** OCPP 2.1's two RPC additions: SEND (type 6) and CALLRESULTERROR (type 5). */
class Ocpp21RpcTest extends ClientTestBase {

  private OcppClient connected21() {
    csms.supportedProtocols("ocpp2.1");
    return connected(OcppVersion.V2_1);
  }

  @Test
  void aSendGoesOutAtOnceEvenWhileACallIsInFlight() throws Exception {
    csms.noAnswer("Slow");
    OcppClient c = connected21();
    CompletableFuture<JsonNode> slow = c.call("Slow", Map.of());
    csms.awaitCall("Slow");
    NotifyPeriodicEventStream stream =
        new NotifyPeriodicEventStream(
            java.util.List.of(new StreamDataElement(0.5, "230.1")),
            7,
            0,
            OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    get(c.send(Ocpp21.NOTIFY_PERIODIC_EVENT_STREAM, stream));
    Frame frame = csms.takeFrame();
    assertThat(frame.messageType()).isEqualTo(6);
    assertThat(frame.text())
        .startsWith("[6,\"")
        .endsWith(
            ",\"NotifyPeriodicEventStream\",{\"data\":[{\"t\":0.5,\"v\":\"230.1\"}],\"id\":7,\"pending\":0,"
                + "\"basetime\":\"2026-01-01T00:00:00Z\"}]");
    assertThat(slow).isNotDone();
    assertThat(c.pendingCounts()).containsExactly(1, 0);
    // The CSMS never answers a SEND; nothing waits for it.
    csms.assertNoMoreFrames(Duration.ofMillis(100));
  }

  @Test
  void sendExistsOnlyUnder21() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    assertThat(failure(c.send("NotifyPeriodicEventStream", Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SEND messages exist only in OCPP 2.1");
    OcppClient closed = client(OcppVersion.V2_1);
    assertThat(failure(closed.send("NotifyPeriodicEventStream", Map.of())))
        .isInstanceOf(ClientClosedException.class);
  }

  @Test
  void aSendFromTheCsmsRunsItsHandlerAndIsNeverAnswered() throws Exception {
    OcppClient c = connected21();
    CountDownLatch handled = new CountDownLatch(1);
    c.handle("NotifySomething", call -> {
      handled.countDown();
      return Map.of("ignored", true);
    });
    peer.sendRaw("[6,\"s1\",\"NotifySomething\",{\"x\":1}]");
    assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
    events.await("call NotifySomething s1");
    csms.assertNoMoreFrames(Duration.ofMillis(150));
    events.assertNone("badMessage");
  }

  @Test
  void aCallResultErrorFromTheCsmsIsReported() {
    OcppClient c = connected21();
    peer.sendRaw("[5,\"r9\",\"FormatViolation\",\"your result made no sense\",{}]");
    assertThat(events.await("callError IN")).isEqualTo("callError IN FormatViolation r9");
    events.assertNone("badMessage");
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
  }

  @Test
  void aMalformedCallResultIsAnsweredWithACallResultErrorUnder21Only() {
    csms.answerRaw("Heartbeat", r -> "[3,\"" + r.messageId() + "\",\"not an object\"]");
    OcppClient c = connected21();
    assertThat(failure(c.call("Heartbeat", Map.of()))).isInstanceOf(BadMessageException.class);
    Frame call = csms.awaitCall("Heartbeat");
    Frame reply = csms.takeFrame();
    assertThat(reply.text())
        .isEqualTo(
            "[5,\"" + call.messageId() + "\",\"FormatViolation\",\"payload must be a JSON object, was a string\",{}]");
  }

  @Test
  void anUnknownMessageTypeIsIgnoredUnder21() {
    OcppClient c = connected21();
    peer.sendRaw("[7,\"u1\",{}]");
    events.await("badMessage");
    csms.assertNoMoreFrames(Duration.ofMillis(150));
    assertThat(get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
  }
}
