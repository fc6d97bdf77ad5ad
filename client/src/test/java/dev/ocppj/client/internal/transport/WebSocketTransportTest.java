package dev.ocppj.client.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.internal.transport.WebSocketTransport.ConnectRequest;
import dev.ocppj.client.internal.transport.WebSocketTransport.Connection;
import dev.ocppj.testkit.ChargePoint;
import dev.ocppj.testkit.TestCsms;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import dev.ocppj.client.ClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

abstract class WebSocketTransportTest {
  private final TestCsms csms = TestCsms.start();
  private final Recorder events = new Recorder();
  private final WebSocketTransport transport = transport();

  /** The transport under test. */
  abstract WebSocketTransport transport();

  @AfterEach
  void stop() {
    csms.close();
  }

  private Connection connect(URI url, String... protocols) {
    return transport.connect(
        new ConnectRequest(
            url,
            List.of(protocols),
            Map.of("X-Test", "yes"),
            Duration.ofSeconds(5),
            null,
            true,
            ClientOptions.DEFAULT_MAX_MESSAGE_SIZE,
            ClientOptions.DEFAULT_MAX_OUTBOUND_BYTES),
        events);
  }

  private URI url() {
    return URI.create(csms.endpoint() + "/CP1");
  }

  @Test
  void opensWithTheSubprotocolTheServerSelected() {
    csms.supportedProtocols("ocpp1.6", "ocpp2.0.1");
    connect(url(), "ocpp2.0.1", "ocpp1.6");
    assertThat(events.next()).isEqualTo("open ocpp2.0.1");
    ChargePoint peer = csms.awaitConnection();
    assertThat(peer.headers()).containsEntry("sec-websocket-protocol", "ocpp2.0.1, ocpp1.6");
    assertThat(peer.headers()).containsEntry("x-test", "yes");
    assertThat(peer.resource()).isEqualTo("/ocpp/CP1");
  }

  @Test
  void failsClearlyWhenTheServerSelectsNoSubprotocol() {
    csms.forceProtocol("");
    connect(url(), "ocpp1.6", "ocpp2.0.1");
    assertThat(events.next())
        .isEqualTo("failed SUBPROTOCOL -1 server selected no subprotocol (offered: ocpp1.6, ocpp2.0.1)");
  }

  @Test
  void failsClearlyWhenTheServerSelectsAnUnofferedSubprotocol() {
    csms.forceProtocol("ocpp2.0.1");
    connect(url(), "ocpp1.6");
    assertThat(events.next())
        .isEqualTo(
            "failed SUBPROTOCOL -1 server selected subprotocol 'ocpp2.0.1', which was not offered"
                + " (offered: ocpp1.6)");
  }

  @Test
  void reportsTheStatusOfARefusedUpgrade() {
    csms.rejectUpgrades(1, 401);
    connect(url(), "ocpp1.6");
    assertThat(events.next())
        .isEqualTo("failed HTTP_STATUS 401 server answered the upgrade with HTTP/1.1 401 Unauthorized");
  }

  @Test
  void reportsARefusedTcpConnection() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    connect(URI.create("ws://127.0.0.1:" + port + "/ocpp/CP1"), "ocpp1.6");
    assertThat(events.next()).startsWith("failed NETWORK -1 ConnectException");
  }

  @Test
  void sendsReceivesAndClosesWithCodeAndReason() throws Exception {
    Connection c = connect(url(), "ocpp1.6");
    assertThat(events.next()).isEqualTo("open ocpp1.6");
    ChargePoint peer = csms.awaitConnection();
    assertThat(c.send("[2,\"1\",\"Heartbeat\",{}]")).isTrue();
    assertThat(csms.takeFrame().text()).isEqualTo("[2,\"1\",\"Heartbeat\",{}]");
    assertThat(events.next()).startsWith("text [3,\"1\"");
    peer.sendRaw("hello");
    assertThat(events.next()).isEqualTo("text hello");
    c.close(4001, "done here");
    assertThat(events.next()).isEqualTo("close 4001 done here false");
    assertThat(peer.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(4001);
    assertThat(c.send("late")).isFalse();
  }

  @Test
  void reportsACloseByThePeer() {
    connect(url(), "ocpp1.6");
    assertThat(events.next()).isEqualTo("open ocpp1.6");
    csms.awaitConnection().close(4000, "bye");
    assertThat(events.next()).isEqualTo("close 4000 bye true");
  }

  @Test
  void reportsADroppedConnectionAs1006() {
    connect(url(), "ocpp1.6");
    assertThat(events.next()).isEqualTo("open ocpp1.6");
    csms.awaitConnection().drop();
    assertThat(events.next()).startsWith("close 1006");
  }

  @Test
  void abortDropsAnOpenConnectionWithoutACloseFrame() throws Exception {
    Connection c = connect(url(), "ocpp1.6");
    assertThat(events.next()).isEqualTo("open ocpp1.6");
    ChargePoint peer = csms.awaitConnection();
    c.abort();
    assertThat(events.next()).startsWith("close 1006");
    assertThat(peer.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1006);
  }

  @Test
  void abortCancelsAConnectThatGetsNoAnswer() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Connection c = connect(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ocpp/CP1"), "ocpp1.6");
      try (Socket accepted = silent.accept()) {
        accepted.setSoTimeout(10_000);
        c.abort();
        assertThat(events.next()).isEqualTo("failed ABORTED -1 connect aborted");
        // The client closed its end: the server reads to EOF instead of timing out.
        accepted.getInputStream().readAllBytes();
      }
    }
  }

  /** Records transport events as strings, in arrival order. */
  static final class Recorder implements WebSocketTransport.Listener {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    String next() {
      try {
        String e = queue.poll(10, TimeUnit.SECONDS);
        if (e == null) {
          throw new AssertionError("no transport event within 10 s");
        }
        return e;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void onOpen(Connection connection, String subprotocol, Map<String, String> headers) {
      queue.add("open " + subprotocol);
    }

    @Override
    public void onText(String text) {
      queue.add("text " + text);
    }

    @Override
    public void onBinary(int bytes) {
      queue.add("binary " + bytes);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      queue.add("close " + code + " " + reason + " " + remote);
    }

    @Override
    public void onConnectFailed(
        WebSocketTransport.Failure failure, int httpStatus, String message, Throwable cause) {
      queue.add("failed " + failure + " " + httpStatus + " " + message);
    }

    @Override
    public void onPing() {
      queue.add("ping");
    }

    @Override
    public void onPong() {
      queue.add("pong");
    }

    @Override
    public void onError(Throwable error) {
      queue.add("error " + error);
    }
  }
}
