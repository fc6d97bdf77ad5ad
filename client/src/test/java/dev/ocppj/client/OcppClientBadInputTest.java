package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.CloseInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the client answers to malformed input from the CSMS, per OCPP-J version. */
class OcppClientBadInputTest extends ClientTestBase {
  private static final String LONG_ID = "x".repeat(37);

  /** version, raw frame, expected answer (id, code) or null for none. */
  static Stream<Arguments> cases() {
    List<Arguments> list = new ArrayList<>();
    for (OcppVersion v : OcppVersion.values()) {
      boolean v16 = v == OcppVersion.V1_6;
      String framework = v16 ? "FormationViolation" : "RpcFrameworkError";
      String format = v16 ? "FormationViolation" : "FormatViolation";
      String unknownType = v == OcppVersion.V2_0_1 ? "MessageTypeNotSupported" : null;
      list.add(Arguments.of(v, "not json", "-1", framework));
      list.add(Arguments.of(v, "", "-1", framework));
      list.add(Arguments.of(v, "{\"a\":1}", "-1", framework));
      list.add(Arguments.of(v, "[]", "-1", framework));
      list.add(Arguments.of(v, "[\"2\",\"m1\",\"Heartbeat\",{}]", "m1", framework));
      list.add(Arguments.of(v, "[2]", "-1", framework));
      list.add(Arguments.of(v, "[2,17,\"Heartbeat\",{}]", "-1", framework));
      list.add(Arguments.of(v, "[2,\"" + LONG_ID + "\",\"Heartbeat\",{}]", "-1", framework));
      list.add(Arguments.of(v, "[2,\"m1\",\"Heartbeat\"]", "m1", format));
      list.add(Arguments.of(v, "[2,\"m1\",\"Heartbeat\",[]]", "m1", format));
      list.add(Arguments.of(v, "[2,\"m1\",\"Heartbeat\",\"x\"]", "m1", format));
      list.add(Arguments.of(v, "[2,\"m1\",5,{}]", "m1", format));
      list.add(Arguments.of(v, "[2,\"m1\",\"Heartbeat\",{},1]", "m1", format));
      list.add(Arguments.of(v, "[9,\"m1\",{}]", unknownType == null ? null : "m1", unknownType));
      list.add(Arguments.of(v, "[9]", unknownType == null ? null : "-1", unknownType));
      if (v != OcppVersion.V2_1) {
        // SEND and CALLRESULTERROR exist only in 2.1.
        list.add(Arguments.of(v, "[6,\"m1\",\"Foo\",{}]", unknownType == null ? null : "m1", unknownType));
        list.add(Arguments.of(v, "[5,\"m1\",\"GenericError\",\"\",{}]", unknownType == null ? null : "m1", unknownType));
      }
      // Answers are never answered, however broken.
      list.add(Arguments.of(v, "[3,\"m1\",[]]", null, null));
      list.add(Arguments.of(v, "[3,\"" + LONG_ID + "\",{}]", null, null));
      list.add(Arguments.of(v, "[4,\"m1\",\"GenericError\"]", null, null));
    }
    return list.stream();
  }

  @ParameterizedTest(name = "{0}: {1} -> {3}")
  @MethodSource("cases")
  void malformedInputIsReportedAndAnsweredPerOcppJ(
      OcppVersion version, String raw, String answerId, String answerCode) {
    csms.supportedProtocols(version.subprotocol());
    OcppClient c = connected(version);
    peer.sendRaw(raw);
    String bad = events.await("badMessage");
    assertThat(bad).endsWith(" | " + raw);
    if (answerCode == null) {
      csms.assertNoMoreFrames(Duration.ofMillis(150));
    } else {
      Frame answer = csms.takeFrame();
      assertThat(answer.messageType()).isEqualTo(4);
      assertThat(answer.messageId()).isEqualTo(answerId);
      assertThat(answer.errorCode()).isEqualTo(answerCode);
      assertThat(answer.errorDescription()).isNotBlank().hasSizeLessThanOrEqualTo(255);
      assertThat(answer.payload().toString()).isEqualTo("{}");
    }
    // The connection and its threads survive.
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
    assertThat(get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
  }

  @Test
  void answersForUnknownIdsAreDroppedWithoutAnyReport() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    peer.sendRaw("[3,\"nobody\",{}]");
    peer.sendRaw("[4,\"nobody\",\"GenericError\",\"\",{}]");
    events.await("message IN [4,\"nobody\"");
    csms.assertNoMoreFrames(Duration.ofMillis(150));
    events.assertNone("badMessage");
    assertThat(get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
  }

  @Test
  void aMalformedAnswerFailsTheCallItNamesAndIsNotAnswered() {
    csms.answerRaw("Heartbeat", r -> "[3,\"" + r.messageId() + "\",[]]");
    OcppClient c = connected(OcppVersion.V1_6);
    Throwable t = failure(c.call("Heartbeat", Map.of()));
    assertThat(t)
        .isInstanceOf(BadMessageException.class)
        .hasMessageEndingWith("got a malformed answer: payload must be a JSON object, was an array");
    assertThat(((BadMessageException) t).rawMessage()).endsWith(",[]]");
    csms.awaitCall("Heartbeat");
    csms.assertNoMoreFrames(Duration.ofMillis(150));
    assertNoPendingCalls(c);
  }

  @Test
  void tooManyConsecutiveBadMessagesCloseTheConnectionWith1002() throws Exception {
    OcppClient c = connected(OcppVersion.V2_0_1, b -> b.maxBadMessages(3));
    peer.sendRaw("[3,\"x\",[]]");
    peer.sendRaw("[3,\"x\",[]]");
    peer.sendRaw("[2,\"good\",\"Heartbeat\",{}]"); // well-formed: resets the count
    assertThat(csms.takeFrame().errorCode()).isEqualTo("NotSupported");
    peer.sendRaw("[3,\"x\",[]]");
    peer.sendRaw("[3,\"x\",[]]");
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
    peer.sendRaw("[3,\"x\",[]]");
    CloseInfo closed = peer.closed().get(10, TimeUnit.SECONDS);
    assertThat(closed.code()).isEqualTo(1002);
    assertThat(closed.reason()).isEqualTo("too many bad messages");
    events.await("close 1002 too many bad messages");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }

  @Test
  void theBadMessageEventCarriesTheRawTextAndTheReason() {
    connected(OcppVersion.V2_0_1);
    peer.sendRaw("[2,\"m1\",\"Heartbeat\",[]]");
    assertThat(events.await("badMessage"))
        .isEqualTo("badMessage payload must be a JSON object, was an array | [2,\"m1\",\"Heartbeat\",[]]");
  }
}
