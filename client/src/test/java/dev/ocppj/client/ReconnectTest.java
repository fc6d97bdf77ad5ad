package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.ConnectFailedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.testkit.ChargePoint;
import dev.ocppj.testkit.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Reconnection after a drop, against a real server. */
class ReconnectTest extends ClientTestBase {
  private static final Duration FAST = Duration.ofMillis(20);

  private OcppClient reconnecting(OcppVersion version) {
    return connected(version, b -> b.backoff(FAST, FAST.multipliedBy(2)));
  }

  @Test
  void aDroppedConnectionIsReopenedAfterADisconnectAndAReconnectEvent() {
    OcppClient c = reconnecting(OcppVersion.V1_6);
    peer.drop();
    events.await("disconnect 1006");
    assertThat(events.await("reconnect")).startsWith("reconnect 1 ");
    events.await("connecting");
    events.await("open ocpp1.6");
    ChargePoint second = csms.awaitConnection();
    assertThat(second).isNotSameAs(peer);
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
    assertThat(get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
    events.assertNone("close");
  }

  @Test
  void reconnectDelaysFollowThePolicy() {
    List<Duration> asked = Collections.synchronizedList(new ArrayList<>());
    connected(
        OcppVersion.V1_6,
        b ->
            b.reconnectPolicy(
                attempt -> {
                  Duration d = Duration.ofMillis(10L * attempt.number());
                  asked.add(d);
                  return d;
                }));
    csms.rejectUpgrades(2, 503);
    peer.drop();
    assertThat(events.await("reconnect")).isEqualTo("reconnect 1 PT0.01S");
    assertThat(events.await("reconnect")).isEqualTo("reconnect 2 PT0.02S");
    assertThat(events.await("reconnect")).isEqualTo("reconnect 3 PT0.03S");
    events.await("open");
    assertThat(asked).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(30));
  }

  @Test
  void whenAttemptsRunOutAFinalCloseSaysSo() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.backoff(FAST, FAST).maxReconnects(2));
    csms.rejectUpgrades(10, 503);
    peer.drop();
    String close = events.await("close");
    assertThat(close).startsWith("close 1006 gave up after 2 reconnect attempts: connect to");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(csms.upgradeRequests()).isEqualTo(3); // the first connect and two attempts
  }

  @Test
  void closeCancelsAPendingAttempt() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)));
    peer.drop();
    events.await("reconnect");
    assertThat(c.state()).isEqualTo(ClientState.CONNECTING);
    CloseEvent closed = get(c.closeAsync());
    assertThat(closed.code()).isEqualTo(1000);
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(csms.upgradeRequests()).isEqualTo(1);
  }

  @Test
  void closeRacingWithAnAttemptAlwaysEndsClosed() {
    csms.onConnect(ChargePoint::drop);
    for (int i = 0; i < 60; i++) {
      OcppClient c =
          client(
              OcppVersion.V1_6,
              b -> b.backoff(Duration.ofMillis(1), Duration.ofMillis(2)).retryInitialConnect(true));
      c.connect();
      // Let it cycle a little, then close at whatever point it is.
      int target = csms.upgradeRequests() + 1 + (i % 4);
      await().atMost(WAIT).until(() -> csms.upgradeRequests() >= target);
      get(c.closeAsync());
      assertThat(c.state()).isEqualTo(ClientState.CLOSED);
      int after = csms.upgradeRequests();
      // No attempt starts after close() completed (one already on the wire may land).
      csms.assertNoMoreFrames(Duration.ofMillis(20));
      assertThat(csms.upgradeRequests()).isLessThanOrEqualTo(after + 1);
    }
  }

  @Test
  void aServerThatStopsSelectingTheVersionIsRetriedAfterTheFirstOpen() {
    OcppClient c = reconnecting(OcppVersion.V1_6);
    csms.forceProtocol("");
    peer.drop();
    assertThat(events.await("error")).endsWith("server selected no subprotocol (offered: ocpp1.6)");
    csms.forceProtocol(null);
    events.await("open");
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
  }

  @Test
  void anUnauthorizedReconnectBacksOffAndRecovers() {
    // A CSMS deploy or a rotated credential answers 401 for a while: that must not end a client
    // that has been open before.
    OcppClient c = reconnecting(OcppVersion.V1_6);
    csms.rejectUpgrades(2, 401);
    peer.drop();
    assertThat(events.await("error")).contains("401");
    assertThat(events.await("error")).contains("401");
    events.await("open");
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
    assertThat(csms.upgradeRequests()).isEqualTo(4);
    events.assertNone("close");
  }

  @Test
  void thePolicyHearsWhatRefusedTheReconnectAndMayStop() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b ->
                b.reconnectPolicy(
                    a -> {
                      heard.add(a.number() + " " + a.reason() + " " + a.httpStatus() + " " + a.closeCode());
                      return a.httpStatus() == 403 ? null : FAST;
                    }));
    csms.rejectUpgrades(1, 401);
    peer.close(4000, "deploy");
    events.await("error");
    csms.rejectUpgrades(1, 403);
    assertThat(events.await("close")).contains("reconnect policy gave up").contains("403");
    assertThat(heard).containsExactly("1 DISCONNECTED -1 4000", "2 HTTP_STATUS 401 -1", "3 HTTP_STATUS 403 -1");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }

  @Test
  void theCountStartsAgainOnlyAfterAConnectionStayedUpForBackoffResetAfter() {
    connected(OcppVersion.V1_6, b -> b.backoff(FAST, FAST).backoffResetAfter(Duration.ZERO));
    csms.onConnect(cp -> cp.close(1011, "internal error"));
    peer.close(1011, "internal error");
    // Every open counts as stable here, so every attempt is the first again.
    assertThat(events.await("reconnect")).startsWith("reconnect 1 ");
    assertThat(events.await("reconnect")).startsWith("reconnect 1 ");
    assertThat(events.await("reconnect")).startsWith("reconnect 1 ");
  }

  @Test
  void aCsmsThatClosesEveryConnectionAtOnceGetsGrowingDelays() {
    connected(OcppVersion.V1_6, b -> b.backoff(Duration.ofMillis(10), Duration.ofSeconds(5)));
    csms.onConnect(cp -> cp.close(1011, "internal error"));
    peer.close(1011, "internal error");
    // Each open lasts only an instant, so the count goes on instead of starting again.
    assertThat(events.await("reconnect")).startsWith("reconnect 1 ");
    assertThat(events.await("reconnect")).startsWith("reconnect 2 ");
    assertThat(events.await("reconnect")).startsWith("reconnect 3 ");
  }

  @Test
  void afterTheFirstNegotiationOnlyThatVersionIsOffered() {
    csms.supportedProtocols("ocpp1.6");
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b -> b.protocols(OcppVersion.V2_0_1, OcppVersion.V1_6).backoff(FAST, FAST));
    assertThat(peer.headers()).containsEntry("sec-websocket-protocol", "ocpp2.0.1, ocpp1.6");
    csms.supportedProtocols("ocpp1.6", "ocpp2.0.1");
    peer.drop();
    ChargePoint second = csms.awaitConnection();
    assertThat(second.headers()).containsEntry("sec-websocket-protocol", "ocpp1.6");
    assertThat(second.protocol()).isEqualTo("ocpp1.6");
    events.await("open ocpp1.6");
    events.await("open ocpp1.6");
    assertThat(c.protocol()).isEqualTo(OcppVersion.V1_6);
  }

  @Test
  void inFlightCallsFailAtTheDropAndQueuedCallsAreSentAfterTheReconnect() {
    csms.noAnswer("Slow");
    OcppClient c = reconnecting(OcppVersion.V1_6);
    CompletableFuture<JsonNode> inFlight = c.call("Slow", null);
    CompletableFuture<JsonNode> queued = c.call("Heartbeat", null);
    csms.awaitCall("Slow");
    peer.drop();
    assertThat(failure(inFlight)).isInstanceOf(ConnectionClosedException.class);
    assertThat(get(queued).has("currentTime")).isTrue();
    Frame hb = csms.awaitCall("Heartbeat");
    assertThat(hb.chargePoint()).isNotSameAs(peer);
  }

  @Test
  void callsMadeWhileReconnectingGoOutOnceOpen() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
    peer.drop();
    events.await("reconnect");
    CompletableFuture<JsonNode> during = c.call("Heartbeat", null);
    assertThat(get(during).has("currentTime")).isTrue();
  }

  @Test
  void aFailedFirstConnectIsNotRetriedByDefault() {
    csms.rejectUpgrades(1, 503);
    OcppClient c = client(OcppVersion.V1_6, b -> b.backoff(FAST, FAST));
    assertThat(failure(c.connect())).isInstanceOf(ConnectFailedException.class);
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(csms.upgradeRequests()).isEqualTo(1);
  }

  @Test
  void retryInitialConnectKeepsTryingAndConnectCompletesOnTheFirstOpen() {
    csms.rejectUpgrades(3, 503);
    OcppClient c = client(OcppVersion.V1_6, b -> b.backoff(FAST, FAST).retryInitialConnect(true));
    OpenEvent open = get(c.connect());
    assertThat(open.protocol()).isEqualTo(OcppVersion.V1_6);
    assertThat(csms.upgradeRequests()).isEqualTo(4);
    assertThat(events.all().stream().filter(e -> e.startsWith("error")).count()).isEqualTo(3);
  }

  @Test
  void retryInitialConnectStillStopsOnAFatalAnswer() {
    csms.rejectUpgrades(5, 404);
    OcppClient c = client(OcppVersion.V1_6, b -> b.backoff(FAST, FAST).retryInitialConnect(true));
    assertThat(failure(c.connect())).isInstanceOf(ConnectFailedException.class).hasMessageContaining("404");
    assertThat(csms.upgradeRequests()).isEqualTo(1);
  }

  @Test
  void theOcpp201PolicyIsSelectable() {
    connected(
        OcppVersion.V2_0_1,
        b -> b.reconnectPolicy(ReconnectPolicy.ocpp201(Duration.ofMillis(10), 2, Duration.ZERO)));
    csms.rejectUpgrades(3, 503);
    peer.drop();
    assertThat(events.await("reconnect")).isEqualTo("reconnect 1 PT0.01S");
    assertThat(events.await("reconnect")).isEqualTo("reconnect 2 PT0.02S");
    assertThat(events.await("reconnect")).isEqualTo("reconnect 3 PT0.04S");
    assertThat(events.await("reconnect")).isEqualTo("reconnect 4 PT0.04S");
    events.await("open");
  }

  @Test
  void withReconnectOffADropIsFinal() {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.reconnect(false));
    peer.drop();
    events.await("close 1006");
    events.assertNone("reconnect");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }
}
