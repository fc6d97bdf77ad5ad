package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.testing.RawPeer;
import dev.ocppj.client.testing.TcpProxy;
import dev.ocppj.testkit.TestCsms;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Frames and races a hostile CSMS (or a hasty user) produces: binary frames, an answer followed
 * by an invalid frame in the same segment, connect racing close. Runs on each transport.
 */
abstract class HostileFramesTest {
  /** The transport under test. */
  abstract Transport transport();

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final EventLog events = new EventLog();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  private RawPeer peer() throws Exception {
    RawPeer p = new RawPeer();
    resources.add(p);
    return p;
  }

  private OcppClient client(java.net.URI endpoint, java.util.function.UnaryOperator<OcppClient.Builder> config) {
    OcppClient c =
        config
            .apply(
                OcppClient.builder(endpoint, "CP1")
                    .protocols(OcppVersion.V1_6)
                    .transport(transport())
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                    .listener(events))
            .build();
    resources.add(() -> c.close(CloseOptions.defaults().withForce(true)));
    return c;
  }

  @Test
  void aBinaryFrameIsRefusedWith1003AndNeverHandledAsACall() throws Exception {
    RawPeer peer = peer();
    List<String> handled = new CopyOnWriteArrayList<>();
    OcppClient c = client(peer.endpoint(), b -> b);
    c.handle("Echo", call -> {
      handled.add(call.messageId());
      return Map.of();
    });
    ClientTestBase.get(c.connect());
    RawPeer.Conn conn = peer.accept(WAIT);

    conn.sendFrame(RawPeer.BINARY, true, "[2,\"bin1\",\"Echo\",{}]".getBytes(StandardCharsets.UTF_8));

    RawPeer.Frame close = conn.readClose(WAIT);
    assertThat(close).isNotNull();
    assertThat(close.closeCode()).isEqualTo(1003);
    assertThat(close.closeReason()).contains("text");
    assertThat(events.await("error")).contains("binary").contains("1003");
    // The positive signal: after the reconnect a text CALL is answered, and it is the only one handled.
    RawPeer.Conn next = peer.accept(WAIT);
    next.sendText("[2,\"txt1\",\"Echo\",{}]");
    RawPeer.Frame answer = next.readText(WAIT);
    assertThat(answer).isNotNull();
    assertThat(answer.text()).isEqualTo("[3,\"txt1\",{}]");
    assertThat(handled).containsExactly("txt1");
  }

  @Test
  void anAnswerFollowedInTheSameSegmentByInvalidUtf8StillCompletesItsCall() throws Exception {
    RawPeer peer = peer();
    OcppClient c = client(peer.endpoint(), b -> b.reconnect(false));
    ClientTestBase.get(c.connect());
    RawPeer.Conn conn = peer.accept(WAIT);
    for (int trial = 0; trial < 10; trial++) {
      if (trial > 0) {
        ClientTestBase.get(c.connect());
        conn = peer.accept(WAIT);
      }
      CompletableFuture<JsonNode> call = c.call("Heartbeat", Map.of());
      RawPeer.Frame sent = conn.readText(WAIT);
      String id = TestCsms.json(sent.text()).get(1).asString();
      ByteArrayOutputStream segment = new ByteArrayOutputStream();
      byte[] answer =
          ("[3,\"" + id + "\",{\"currentTime\":\"2026-12-07T00:00:00Z\"}]").getBytes(StandardCharsets.UTF_8);
      segment.write(RawPeer.Conn.header(RawPeer.TEXT, true, answer.length));
      segment.write(answer);
      byte[] invalid = {'[', '3', ',', (byte) 0xC3, 0x28, ']'}; // 0xC3 0x28 is not UTF-8
      segment.write(RawPeer.Conn.header(RawPeer.TEXT, true, invalid.length));
      segment.write(invalid);
      conn.write(segment.toByteArray()); // one write: both frames in one TCP segment

      assertThat(ClientTestBase.get(call).get("currentTime").asString())
          .as("trial %d", trial)
          .isEqualTo("2026-12-07T00:00:00Z");
      RawPeer.Frame close = conn.readClose(WAIT);
      if (transport() == Transport.NETTY || close != null) {
        // Java-WebSocket's client stops reading once it starts a close and ends the connection
        // at once, so its close frame may lose the race with the socket's close.
        assertThat(close).isNotNull();
        assertThat(close.closeCode()).isEqualTo(1007);
      }
      assertThat(events.await("close")).startsWith("close 1007");
      await().atMost(WAIT).until(() -> c.state() == ClientState.CLOSED);
    }
  }

  @Test
  void connectFollowedAtOnceByCloseLeavesNoConnectionOrThreadBehind() throws Exception {
    TestCsms csms = TestCsms.start();
    resources.add(csms);
    TcpProxy proxy = new TcpProxy(csms.port()); // sees whether the client closed each socket
    resources.add(0, proxy);
    int threadsBefore = ClientTestBase.libraryThreadCount();
    OcppClient c = client(proxy.endpoint("/ocpp"), b -> b);
    for (int i = 0; i < 300; i++) {
      CompletableFuture<?> connect = c.connect();
      ClientTestBase.get(c.close(CloseOptions.defaults()));
      assertThat(connect).isDone();
      assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    }
    // Every socket the client opened is closed again, and the library's threads are back.
    await().atMost(WAIT)
        .untilAsserted(() -> assertThat(proxy.openLinks())
            .as("sockets still open of %d accepted, %d upgraded by the CSMS", proxy.accepted(), csms.chargePoints().size())
            .isZero());
    await().atMost(WAIT).untilAsserted(() -> assertThat(ClientTestBase.libraryThreadCount()).isLessThanOrEqualTo(threadsBefore + 1));
    // And the client still works.
    ClientTestBase.get(c.connect());
    assertThat(ClientTestBase.get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
  }
}
