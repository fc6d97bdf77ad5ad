package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.testing.SilentPeer;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.CloseInfo;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OcppClientCloseTest extends ClientTestBase {

  @Test
  void closeWaitsForInFlightCallsAndFailsQueuedOnesAtOnce() throws Exception {
    csms.noAnswer("Slow");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> inFlight = c.call("Slow", null);
    CompletableFuture<JsonNode> queued = c.call("Heartbeat", null);
    Frame slow = csms.awaitCall("Slow");
    CompletableFuture<CloseEvent> closing = c.closeAsync();
    assertThat(failure(queued))
        .isInstanceOf(ClientClosedException.class)
        .hasMessageEndingWith("was not sent: the client is closing");
    assertThat(c.state()).isEqualTo(ClientState.CLOSING);
    assertThat(closing).isNotDone();
    assertThat(failure(c.call("Heartbeat", null)))
        .isInstanceOf(ClientClosedException.class)
        .hasMessage("Heartbeat was not sent: the client is CLOSING");
    peer.sendRaw("[3,\"" + slow.messageId() + "\",{\"ok\":true}]");
    assertThat(get(inFlight).get("ok").booleanValue()).isTrue();
    CloseEvent closed = get(closing);
    assertThat(closed.code()).isEqualTo(1000);
    assertThat(peer.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    events.await("close 1000");
    events.assertNone("disconnect");
  }

  @Test
  void callsFromTheCsmsAreStillAnsweredWhileCloseWaits() {
    csms.noAnswer("Slow");
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    c.call("Slow", null);
    Frame slow = csms.awaitCall("Slow");
    c.closeAsync();
    assertThat(get(peer.call("Reset", Map.of())).payload().get("status").asString()).isEqualTo("Accepted");
    peer.sendRaw("[3,\"" + slow.messageId() + "\",{}]");
  }

  @Test
  void closeWithoutAwaitingFailsInFlightCallsWithTheCloseCode() {
    csms.noAnswer("Slow");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> inFlight = c.call("Slow", null);
    csms.awaitCall("Slow");
    CloseEvent closed =
        get(c.close(CloseOptions.defaults().withAwaitPending(false).withCode(4002, "maintenance")));
    assertThat(closed.code()).isEqualTo(4002);
    assertThat(closed.reason()).isEqualTo("maintenance");
    Throwable t = failure(inFlight);
    assertThat(t).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("code 4002 (maintenance)");
    CloseInfo seen = get(peer.closed());
    assertThat(seen.code()).isEqualTo(4002);
    assertThat(seen.reason()).isEqualTo("maintenance");
  }

  @Test
  void forceDropsTheConnectionWithoutAHandshake() {
    csms.noAnswer("Slow");
    OcppClient c = connected(OcppVersion.V1_6);
    CompletableFuture<JsonNode> inFlight = c.call("Slow", null);
    csms.awaitCall("Slow");
    CloseEvent closed = get(c.close(CloseOptions.defaults().withForce(true)));
    assertThat(closed.code()).isEqualTo(1006);
    assertThat(((ConnectionClosedException) failure(inFlight)).code()).isEqualTo(1006);
    assertThat(get(peer.closed()).code()).isEqualTo(1006);
  }

  @Test
  void closeIsIdempotent() {
    csms.noAnswer("Slow");
    OcppClient c = connected(OcppVersion.V1_6);
    c.call("Slow", null);
    Frame slow = csms.awaitCall("Slow");
    CompletableFuture<CloseEvent> first = c.closeAsync();
    CompletableFuture<CloseEvent> second = c.close(CloseOptions.defaults().withForce(true));
    assertThat(second).isSameAs(first);
    peer.sendRaw("[3,\"" + slow.messageId() + "\",{}]");
    CloseEvent closed = get(first);
    CloseEvent again = get(c.closeAsync());
    assertThat(again).isEqualTo(closed);
    assertThat(events.all().stream().filter(e -> e.startsWith("close ")).count()).isEqualTo(1);
  }

  @Test
  void closingANeverConnectedClientCompletesAtOnce() {
    OcppClient c = client(OcppVersion.V1_6);
    CloseEvent e = get(c.closeAsync());
    assertThat(e.code()).isEqualTo(1000);
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }

  @Test
  void aPeerThatNeverAnswersTheCloseFrameIsDroppedAfterTheCloseTimeout() throws Exception {
    try (SilentPeer silent = new SilentPeer()) {
      OcppClient c =
          OcppClient.builder(silent.endpoint(), "CP1")
              .protocols(OcppVersion.V1_6)
              .closeTimeout(Duration.ofMillis(300))
              .listener(events)
              .build();
      get(c.connect());
      CloseEvent closed = get(c.closeAsync());
      // 1006 when the close timeout dropped the connection; 1000 when Java-WebSocket's read
      // loop was between reads as close() began and ended the connection itself. Either way
      // close() completes without the peer's close frame.
      assertThat(closed.code()).isIn(1000, 1006);
      assertThat(closed.remote()).isFalse();
      assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    }
  }

  @Test
  void autoCloseWaitsUntilClosed() {
    OcppClient c;
    try (OcppClient auto = connected(OcppVersion.V1_6)) {
      c = auto;
      get(auto.call("Heartbeat", null));
    }
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }
}
