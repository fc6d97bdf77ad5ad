package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.testing.TcpProxy;
import dev.ocppj.testkit.ChargePoint;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WebSocket pings and dead-link detection, against a real server. */
class PingTest extends ClientTestBase {

  @Test
  void pingsGoOutAtTheIntervalAndPongsAreReported() {
    connected(OcppVersion.V1_6, b -> b.pingInterval(Duration.ofMillis(100)));
    await().atMost(WAIT).until(() -> peer.pingsReceived() >= 3);
    events.await("pong");
    events.assertNone("pongTimeout");
  }

  @Test
  void pingsCanBeSwitchedOff() {
    connected(OcppVersion.V1_6, b -> b.pingInterval(Duration.ZERO));
    // With a 100 ms interval three pings would have gone out by now.
    csms.assertNoMoreFrames(Duration.ofMillis(400));
    assertThat(peer.pingsReceived()).isZero();
  }

  @Test
  void aPingFromTheCsmsIsAnsweredAndReported() {
    connected(OcppVersion.V1_6, b -> b.pingInterval(Duration.ZERO));
    peer.ping();
    events.await("ping");
    await().atMost(WAIT).until(() -> peer.pongsReceived() == 1);
  }

  @Test
  void aPeerThatStopsAnsweringPingsIsDroppedWithinOnePongTimeout() {
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b ->
                b.pingInterval(Duration.ofMillis(100))
                    .pongTimeout(Duration.ofMillis(400))
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(40)));
    await().atMost(WAIT).until(() -> peer.pingsReceived() >= 1);
    peer.stopAnsweringPings();
    long silentSince = System.nanoTime();
    events.await("pongTimeout");
    // The first unanswered ping goes out within 1.25 intervals; the timeout runs 400 ms from it.
    long detectedAfterMs = (System.nanoTime() - silentSince) / 1_000_000;
    events.await("disconnect 1006");
    events.await("reconnect 1");
    events.await("open");
    assertThat(csms.awaitConnection()).isNotSameAs(peer);
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
    assertThat(detectedAfterMs).isGreaterThanOrEqualTo(300);
  }

  @Test
  void aLinkThatSilentlyDiesIsDetectedAndRepaired() throws Exception {
    try (TcpProxy proxy = new TcpProxy(csms.port())) {
      OcppClient c =
          OcppClient.builder(proxy.endpoint("/ocpp"), "CP1")
              .protocols(OcppVersion.V1_6)
              .pingInterval(Duration.ofMillis(100))
              .pongTimeout(Duration.ofMillis(300))
              .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
              .listener(events)
              .build();
      try {
        get(c.connect());
        ChargePoint first = csms.awaitConnection();
        events.await("pong");
        proxy.freeze(); // nothing gets through any more, and nothing closes
        events.await("pongTimeout");
        events.await("disconnect 1006");
        proxy.thaw();
        events.await("open");
        assertThat(csms.awaitConnection()).isNotSameAs(first);
        assertThat(get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
      } finally {
        get(c.close(CloseOptions.defaults().withForce(true)));
      }
    }
  }

  @Test
  void deferredPingsAreSkippedWhileFramesArrive() {
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b -> b.pingInterval(Duration.ofSeconds(2)).deferPingsOnActivity(true));
    // Longer than the interval (with its jitter), but frames never stop for anywhere near it.
    long until = System.nanoTime() + Duration.ofMillis(3000).toNanos();
    while (System.nanoTime() < until) {
      get(c.call("Heartbeat", Map.of())); // an answer arrives at least every few ms
    }
    assertThat(peer.pingsReceived()).isZero();
    // Once quiet, pings resume.
    await().atMost(WAIT).until(() -> peer.pingsReceived() >= 1);
  }

  @Test
  void theCsmsAnsweringPingsKeepsTheLinkUp() {
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b -> b.pingInterval(Duration.ofMillis(50)).pongTimeout(Duration.ofMillis(200)));
    await().atMost(WAIT).until(() -> peer.pingsReceived() >= 10);
    events.assertNone("pongTimeout");
    events.assertNone("disconnect");
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
  }
}
