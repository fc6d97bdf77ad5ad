package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectFailedException;
import dev.ocppj.testkit.ChargePoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OcppClientConnectTest extends ClientTestBase {

  /** A client of a server socket that accepts TCP but never answers the upgrade. */
  private OcppClient clientOf(ServerSocket silent, UnaryOperator<OcppClient.Builder> config) {
    return config
        .apply(
            OcppClient.builder(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ocpp"), "CP1")
                .protocols(OcppVersion.V1_6)
                .listener(events))
        .build();
  }

  @Test
  void connectsWithTheFirstOfferedVersionTheServerSupports() {
    csms.supportedProtocols("ocpp1.6");
    OcppClient c =
        client(OcppVersion.V2_0_1, b -> b.protocols(OcppVersion.V2_0_1, OcppVersion.V1_6));
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(c.protocol()).isNull();
    OpenEvent open = get(c.connect());
    assertThat(open.protocol()).isEqualTo(OcppVersion.V1_6);
    assertThat(open.url()).hasToString(csms.endpoint() + "/CP1");
    assertThat(open.headers()).containsEntry("sec-websocket-protocol", "ocpp1.6");
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
    assertThat(c.protocol()).isEqualTo(OcppVersion.V1_6);
    assertThat(csms.awaitConnection().headers())
        .containsEntry("sec-websocket-protocol", "ocpp2.0.1, ocpp1.6");
    assertThat(events.await("connecting")).isEqualTo("connecting " + csms.endpoint() + "/CP1");
    assertThat(events.await("open")).isEqualTo("open ocpp1.6");
  }

  @Test
  void theIdentityIsPercentEncodedInThePath() {
    OcppClient c =
        connected(OcppVersion.V1_6, b -> b.query("token", "a b").query("x", "1"));
    assertThat(peer.resource()).isEqualTo("/ocpp/CP1?token=a%20b&x=1");
    OcppClient spaced =
        OcppClient.builder(csms.endpoint(), "CP 2/ü").protocols(OcppVersion.V1_6).build();
    try {
      get(spaced.connect());
      ChargePoint p = csms.awaitConnection();
      assertThat(p.resource()).isEqualTo("/ocpp/CP%202%2F%C3%BC");
      assertThat(p.identity()).isEqualTo("CP 2/ü");
    } finally {
      get(spaced.closeAsync());
    }
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
  }

  @Test
  void aRefusedUpgradeFailsConnectWithItsStatusCode() {
    csms.rejectUpgrades(1, 404);
    OcppClient c = client(OcppVersion.V1_6);
    Throwable t = failure(c.connect());
    assertThat(t)
        .isInstanceOf(ConnectFailedException.class)
        .hasMessage(
            "connect to " + csms.endpoint() + "/CP1 failed: server answered the upgrade with"
                + " HTTP/1.1 404 Not Found");
    assertThat(((ConnectFailedException) t).httpStatus()).hasValue(404);
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(events.await("error")).contains("404 Not Found");
    // 404 cannot be fixed by retrying: the client gives up at once, saying why.
    assertThat(events.await("close")).startsWith("close 1006 gave up, retrying cannot help: connect to");
  }

  @Test
  void aServerThatSelectsNoSubprotocolFailsConnect() {
    csms.forceProtocol("");
    OcppClient c = client(OcppVersion.V2_0_1);
    assertThat(failure(c.connect()))
        .isInstanceOf(ConnectFailedException.class)
        .hasMessageEndingWith("server selected no subprotocol (offered: ocpp2.0.1)");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }

  @Test
  void aServerThatSelectsAnUnofferedSubprotocolFailsConnect() {
    csms.forceProtocol("ocpp2.1");
    OcppClient c = client(OcppVersion.V1_6);
    assertThat(failure(c.connect()))
        .isInstanceOf(ConnectFailedException.class)
        .hasMessageEndingWith(
            "server selected subprotocol 'ocpp2.1', which was not offered (offered: ocpp1.6)");
  }

  @Test
  void connectTimesOutWhenTheServerNeverAnswersTheUpgrade() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      OcppClient c = clientOf(silent, b -> b.connectTimeout(Duration.ofMillis(300)));
      CompletableFuture<OpenEvent> f = c.connect();
      try (Socket accepted = silent.accept()) {
        assertThat(failure(f))
            .isInstanceOf(ConnectFailedException.class)
            .hasMessageEndingWith("no connection within connectTimeout PT0.3S");
        assertThat(c.state()).isEqualTo(ClientState.CLOSED);
      }
    }
  }

  @Test
  void aRefusedTcpConnectionFailsConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OcppClient c =
        OcppClient.builder(URI.create("ws://127.0.0.1:" + port + "/ocpp"), "CP1")
            .protocols(OcppVersion.V1_6)
            .build();
    Throwable t = failure(c.connect());
    assertThat(t).isInstanceOf(ConnectFailedException.class).hasMessageContaining("ConnectException");
    assertThat(((ConnectFailedException) t).httpStatus()).isEmpty();
  }

  @Test
  void connectOnAClientThatIsNotClosedFails() {
    OcppClient c = connected(OcppVersion.V1_6);
    assertThatThrownBy(c::connect)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connect() needs a CLOSED client, but CP1 is OPEN");
  }

  @Test
  void closeCancelsAConnectInProgress() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      OcppClient c = clientOf(silent, b -> b);
      CompletableFuture<OpenEvent> f = c.connect();
      try (Socket accepted = silent.accept()) {
        assertThat(c.state()).isEqualTo(ClientState.CONNECTING);
        CloseEvent closed = get(c.close(CloseOptions.defaults().withCode(4001, "stop")));
        assertThat(closed.code()).isEqualTo(4001);
        assertThat(failure(f))
            .isInstanceOf(ClientClosedException.class)
            .hasMessageEndingWith("was cancelled by close()");
        assertThat(c.state()).isEqualTo(ClientState.CLOSED);
        events.await("close 4001 stop");
      }
    }
  }

  @Test
  void cancellingTheConnectFutureAbandonsTheAttempt() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      OcppClient c = clientOf(silent, b -> b);
      CompletableFuture<OpenEvent> f = c.connect();
      try (Socket accepted = silent.accept()) {
        f.cancel(false);
        events.await("close");
        assertThat(c.state()).isEqualTo(ClientState.CLOSED);
      }
    }
  }

  @Test
  void aClosedClientCanConnectAgain() {
    OcppClient c = connected(OcppVersion.V1_6);
    get(c.closeAsync());
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    get(c.connect());
    csms.awaitConnection();
    assertThat(get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
  }
}
