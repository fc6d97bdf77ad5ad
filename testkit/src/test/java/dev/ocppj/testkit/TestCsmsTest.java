package dev.ocppj.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The test CSMS, driven by the JDK's own WebSocket client, so that it is tested independently of
 * the library it serves.
 */
class TestCsmsTest {
  private final TestCsms csms = TestCsms.start();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    csms.close();
  }

  /** A raw charge point on the JDK's WebSocket client: frames in a queue, close in a future. */
  final class RawChargePoint implements WebSocket.Listener {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    WebSocket ws;
    private final StringBuilder partial = new StringBuilder();

    RawChargePoint connect(String identity, String protocol) throws Exception {
      return connect(identity, protocol, null);
    }

    RawChargePoint connect(String identity, String protocol, String authorization) throws Exception {
      WebSocket.Builder b = http.newWebSocketBuilder().subprotocols(protocol);
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      ws = b.buildAsync(URI.create(csms.endpoint() + "/" + identity), this).get(10, TimeUnit.SECONDS);
      return this;
    }

    String send(String text) throws Exception {
      ws.sendText(text, true).get(10, TimeUnit.SECONDS);
      return text;
    }

    String next() throws InterruptedException {
      String f = frames.poll(10, TimeUnit.SECONDS);
      assertThat(f).as("a frame within 10 s").isNotNull();
      return f;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      pongs.add("pong");
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(1006);
    }
  }

  private static JsonNode json(String text) {
    return TestCsms.json(text);
  }

  @Test
  void answersEveryCoreActionWithASchemaValidDefaultPerVersion() throws Exception {
    RawChargePoint v16 = new RawChargePoint().connect("CP16", "ocpp1.6");
    v16.send("[2,\"1\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
    JsonNode boot = json(v16.next());
    assertThat(boot.get(2).get("status").asString()).isEqualTo("Accepted");
    assertThat(boot.get(2).get("interval").intValue()).isEqualTo(300);
    assertThat(boot.get(2).get("currentTime").asString()).endsWith("Z");
    v16.send("[2,\"2\",\"StartTransaction\",{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2026-01-01T00:00:00Z\"}]");
    v16.send("[2,\"3\",\"StartTransaction\",{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2026-01-01T00:00:00Z\"}]");
    assertThat(json(v16.next()).get(2).get("transactionId").intValue()).isEqualTo(1);
    assertThat(json(v16.next()).get(2).get("transactionId").intValue()).isEqualTo(2);

    RawChargePoint v201 = new RawChargePoint().connect("CP201", "ocpp2.0.1");
    v201.send("[2,\"a\",\"Authorize\",{\"idToken\":{\"idToken\":\"x\",\"type\":\"Central\"}}]");
    assertThat(v201.next()).isEqualTo("[3,\"a\",{\"idTokenInfo\":{\"status\":\"Accepted\"}}]");
    v201.send("[2,\"b\",\"VendorThing\",{}]");
    assertThat(v201.next()).isEqualTo("[3,\"b\",{}]");
  }

  @Test
  void noAnswerIsLeftUnsentUnderLoad() throws Exception {
    // Java-WebSocket's server can lose the write interest of a frame queued while its selector
    // finishes the previous write; the frame then waits for the next one. The CSMS must not.
    List<RawChargePoint> cps = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      cps.add(new RawChargePoint().connect("CP" + i, "ocpp1.6"));
    }
    int perChargePoint = 2000;
    for (int n = 0; n < perChargePoint; n++) {
      for (RawChargePoint cp : cps) {
        cp.ws.sendText("[2,\"" + n + "\",\"Heartbeat\",{}]", true).get(5, TimeUnit.SECONDS);
      }
    }
    for (RawChargePoint cp : cps) {
      for (int n = 0; n < perChargePoint; n++) {
        String f = cp.frames.poll(5, TimeUnit.SECONDS);
        assertThat(f).as("answer " + n + " of " + perChargePoint + " within 5 s").isNotNull();
      }
    }
  }

  @Test
  void scriptsReplaceTheDefaults() throws Exception {
    csms.answer("Authorize", req -> Map.of("idTagInfo", Map.of("status", "Blocked", "echo", req.get("idTag"))));
    csms.answerError("StartTransaction", "NotSupported", "not here", json("{\"k\":1}"));
    csms.answerRaw("MeterValues", f -> "[3,\"" + f.messageId() + "\",\"broken\"]");
    csms.noAnswer("StatusNotification");
    RawChargePoint cp = new RawChargePoint().connect("CP1", "ocpp1.6");
    cp.send("[2,\"1\",\"Authorize\",{\"idTag\":\"T1\"}]");
    assertThat(json(cp.next())).isEqualTo(json("[3,\"1\",{\"idTagInfo\":{\"status\":\"Blocked\",\"echo\":\"T1\"}}]"));
    cp.send("[2,\"2\",\"StartTransaction\",{}]");
    assertThat(cp.next()).isEqualTo("[4,\"2\",\"NotSupported\",\"not here\",{\"k\":1}]");
    cp.send("[2,\"3\",\"MeterValues\",{}]");
    assertThat(cp.next()).isEqualTo("[3,\"3\",\"broken\"]");
    cp.send("[2,\"4\",\"StatusNotification\",{}]");
    cp.send("[2,\"5\",\"Heartbeat\",{}]");
    assertThat(json(cp.next()).get(1).asString()).isEqualTo("5"); // 4 got no answer
    csms.defaultAnswer("Authorize");
    cp.send("[2,\"6\",\"Authorize\",{\"idTag\":\"T1\"}]");
    assertThat(cp.next()).isEqualTo("[3,\"6\",{\"idTagInfo\":{\"status\":\"Accepted\"}}]");
  }

  @Test
  void answersCanDependOnTheCallerAndAThrowingScriptAnswersInternalError() throws Exception {
    csms.answer("StartTransaction", (chargePoint, req) ->
        Map.of("transactionId", chargePoint.identity().length(), "idTagInfo", Map.of("status", "Accepted")));
    csms.answer("Authorize", req -> {
      throw new IllegalStateException("no tags today");
    });
    RawChargePoint cp = new RawChargePoint().connect("CP-42", "ocpp1.6");
    cp.send("[2,\"1\",\"StartTransaction\",{}]");
    assertThat(json(cp.next())).isEqualTo(json("[3,\"1\",{\"transactionId\":5,\"idTagInfo\":{\"status\":\"Accepted\"}}]"));
    cp.send("[2,\"2\",\"Authorize\",{\"idTag\":\"T\"}]");
    assertThat(cp.next())
        .isEqualTo("[4,\"2\",\"InternalError\",\"test CSMS script for Authorize failed: "
            + "java.lang.IllegalStateException: no tags today\",{}]");
    cp.send("[2,\"3\",\"Heartbeat\",{}]"); // the connection lives on
    assertThat(json(cp.next()).get(2).has("currentTime")).isTrue();
  }

  @Test
  void withoutRecordingTheCsmsAnswersButKeepsNoFrames() throws Exception {
    try (TestCsms quiet = TestCsms.builder().recordFrames(false).start()) {
      WebSocket.Builder b = http.newWebSocketBuilder().subprotocols("ocpp1.6");
      RawChargePoint cp = new RawChargePoint();
      cp.ws = b.buildAsync(URI.create(quiet.endpoint() + "/CP1"), cp).get(10, TimeUnit.SECONDS);
      cp.send("[2,\"1\",\"Heartbeat\",{}]");
      assertThat(json(cp.next()).get(2).has("currentTime")).isTrue();
      CompletableFuture<Frame> answer = quiet.awaitConnection().call("Reset", Map.of("type", "Soft"));
      String reset = cp.next();
      cp.send("[3," + json(reset).get(1) + ",{\"status\":\"Accepted\"}]");
      assertThat(answer.get(10, TimeUnit.SECONDS).payload().get("status").asString()).isEqualTo("Accepted");
      assertThat(quiet.transcript()).isEmpty();
      assertThatThrownBy(() -> quiet.awaitCall("Heartbeat", Duration.ZERO)).isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void aDelayedAnswerComesLater() throws Exception {
    csms.answerDelay("Heartbeat", Duration.ofMillis(300));
    RawChargePoint cp = new RawChargePoint().connect("CP1", "ocpp1.6");
    long start = System.nanoTime();
    cp.send("[2,\"1\",\"Heartbeat\",{}]");
    cp.next();
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
  }

  @Test
  void awaitCallFindsTheCallItNamesAndLeavesTheRest() throws Exception {
    RawChargePoint cp = new RawChargePoint().connect("CP1", "ocpp1.6");
    cp.send("[2,\"1\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
    cp.send("[2,\"2\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}]");
    Frame status = csms.awaitCall("StatusNotification");
    assertThat(status.messageId()).isEqualTo("2");
    assertThat(status.payload().get("status").asString()).isEqualTo("Available");
    assertThat(status.chargePoint().identity()).isEqualTo("CP1");
    Frame boot = csms.takeFrame();
    assertThat(boot.isCall("BootNotification")).isTrue();
    csms.assertNoMoreFrames();
    assertThatThrownBy(() -> csms.awaitCall("Heartbeat", Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("no Heartbeat CALL arrived within PT0.1S");
  }

  @Test
  void theTranscriptHasEveryFrameBothWays() throws Exception {
    RawChargePoint cp = new RawChargePoint().connect("CP1", "ocpp1.6");
    cp.send("[2,\"1\",\"Heartbeat\",{}]");
    String answer = cp.next();
    assertThat(csms.transcript())
        .extracting(f -> f.direction() + " " + f.text())
        .containsExactly("FROM_CHARGE_POINT [2,\"1\",\"Heartbeat\",{}]", "TO_CHARGE_POINT " + answer);
  }

  @Test
  void theCsmsCallsAChargePointAndGetsItsAnswer() throws Exception {
    RawChargePoint cp = new RawChargePoint().connect("CP1", "ocpp1.6");
    ChargePoint connection = csms.awaitConnection();
    assertThat(connection.identity()).isEqualTo("CP1");
    assertThat(connection.protocol()).isEqualTo("ocpp1.6");
    CompletableFuture<Frame> answer = csms.call("CP1", "Reset", Map.of("type", "Soft"));
    JsonNode call = json(cp.next());
    assertThat(call.get(2).asString()).isEqualTo("Reset");
    cp.send("[3,\"" + call.get(1).asString() + "\",{\"status\":\"Accepted\"}]");
    Frame result = answer.get(10, TimeUnit.SECONDS);
    assertThat(result.messageType()).isEqualTo(3);
    assertThat(result.payload().get("status").asString()).isEqualTo("Accepted");
  }

  @Test
  void aCallToAChargePointThatDisconnectsFails() throws Exception {
    RawChargePoint cp = new RawChargePoint().connect("CP1", "ocpp1.6");
    ChargePoint connection = csms.awaitConnection();
    CompletableFuture<Frame> answer = connection.call("Reset", Map.of("type", "Soft"));
    cp.next();
    cp.ws.abort();
    assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(connection.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1006);
    assertThatThrownBy(() -> connection.call("Reset", Map.of("type", "Soft")).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Reset not sent to CP1");
  }

  @Test
  void faultsCloseDropAndRawFrames() throws Exception {
    RawChargePoint a = new RawChargePoint().connect("A", "ocpp1.6");
    RawChargePoint b = new RawChargePoint().connect("B", "ocpp1.6");
    csms.chargePoint("A").close(4001, "maintenance");
    assertThat(a.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4001);
    csms.chargePoint("B").sendRaw("this is not OCPP");
    assertThat(b.next()).isEqualTo("this is not OCPP");
    csms.chargePoint("B").drop();
    assertThat(b.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1006);
  }

  @Test
  void aChargePointThatPingsGetsPongsUntilTheCsmsStopsAnswering() throws Exception {
    RawChargePoint cp = new RawChargePoint().connect("CP1", "ocpp1.6");
    ChargePoint connection = csms.awaitConnection();
    cp.ws.sendPing(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);
    assertThat(cp.pongs.poll(10, TimeUnit.SECONDS)).isEqualTo("pong");
    connection.stopAnsweringPings();
    cp.ws.sendPing(ByteBuffer.wrap(new byte[] {2})).get(10, TimeUnit.SECONDS);
    assertThat(cp.pongs.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(connection.pingsReceived()).isEqualTo(2);
  }

  @Test
  void upgradesCanBeRefusedByStatusIdentityOrPassword() throws Exception {
    csms.rejectUpgrades(1, 503);
    assertThat(handshakeStatus(csms, "CP1", null)).isEqualTo(503);
    assertThat(new RawChargePoint().connect("CP1", "ocpp1.6").ws.getSubprotocol()).isEqualTo("ocpp1.6");

    try (TestCsms strict =
        TestCsms.builder().identities("ALLOWED").basicAuth("ALLOWED", "pw".getBytes(StandardCharsets.UTF_8)).start()) {
      assertThat(handshakeStatus(strict, "OTHER", null)).isEqualTo(404);
      assertThat(handshakeStatus(strict, "ALLOWED", "Basic " + b64("ALLOWED:wrong"))).isEqualTo(401);
      assertThat(handshakeStatus(strict, "ALLOWED", "Basic " + b64("ALLOWED:pw"))).isEqualTo(101);
      assertThat(strict.upgradeRequests()).isEqualTo(3);
    }
  }

  @Test
  void theSubprotocolCanBeNegotiatedOrForced() throws Exception {
    csms.supportedProtocols("ocpp2.0.1");
    WebSocket ws =
        http.newWebSocketBuilder()
            .subprotocols("ocpp1.6", "ocpp2.0.1")
            .buildAsync(URI.create(csms.endpoint() + "/CP1"), new RawChargePoint())
            .get(10, TimeUnit.SECONDS);
    assertThat(ws.getSubprotocol()).isEqualTo("ocpp2.0.1");
    csms.forceProtocol("ocpp9");
    // The JDK client refuses an unoffered subprotocol, as a correct client must.
    assertThatThrownBy(
            () ->
                http.newWebSocketBuilder()
                    .subprotocols("ocpp1.6")
                    .buildAsync(URI.create(csms.endpoint() + "/CP2"), new RawChargePoint())
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  private int handshakeStatus(TestCsms server, String identity, String authorization) throws Exception {
    WebSocket.Builder b = http.newWebSocketBuilder().subprotocols("ocpp1.6");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      WebSocket ws = b.buildAsync(URI.create(server.endpoint() + "/" + identity), new RawChargePoint()).get(10, TimeUnit.SECONDS);
      ws.abort();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
