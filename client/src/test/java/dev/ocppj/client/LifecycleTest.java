package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.internal.runtime.SharedRuntime;
import dev.ocppj.client.internal.transport.WebSocketTransport;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectFailedException;
import dev.ocppj.testkit.ChargePoint;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Every lifecycle future (connect, close) completes exactly once, whatever interleaving of
 * connect, close, reconfigure and drops happens, and no event follows the final close.
 */
class LifecycleTest extends ClientTestBase {
  private static final Duration FAST = Duration.ofMillis(20);

  @Test
  void anSslContextThatWasNeverInitialisedIsRefusedAtBuild() throws Exception {
    SSLContext uninitialised = SSLContext.getInstance("TLS");
    assertThatThrownBy(
            () ->
                OcppClient.builder(URI.create("wss://127.0.0.1:1/ocpp"), "CP1")
                    .protocols(OcppVersion.V1_6)
                    .sslContext(uninitialised)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslContext")
        .hasMessageContaining("init");
  }

  @Test
  void aTransportThatCannotStartFailsTheConnectAndLeaksNothing() {
    int schedulerUsers = SharedRuntime.schedulerUsers();
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");
    WebSocketTransport real = WebSocketTransport.javaWebSocket();
    WebSocketTransport failing =
        (request, listener) -> {
          throw noThread;
        };
    OcppClient c = client(OcppVersion.V1_6, b -> b.transportForTests(failing).retryInitialConnect(true));

    Throwable error = failure(c.connect());

    assertThat(error).isInstanceOf(ConnectFailedException.class).hasCause(noThread);
    assertThat(error.getMessage()).contains("could not start the connection").contains("unable to create native thread");
    assertThat(events.await("close")).contains("gave up, retrying cannot help");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(SharedRuntime.schedulerUsers()).isEqualTo(schedulerUsers);
    assertThat(get(c.closeAsync())).isNotNull();
    assertThat(real).isNotNull();
  }

  @Test
  void switchingReconnectOffWhileTheInitialConnectIsRetriedFailsTheConnect() {
    csms.rejectUpgrades(Integer.MAX_VALUE, 503);
    OcppClient c = client(OcppVersion.V1_6, b -> b.retryInitialConnect(true).backoff(FAST, FAST));
    CompletableFuture<OpenEvent> connect = c.connect();
    events.await("reconnect");

    c.reconfigure(o -> o.reconnect(false));

    Throwable error = failure(connect);
    assertThat(error).isInstanceOfAny(ConnectFailedException.class, ClientClosedException.class);
    events.await("close");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(get(c.closeAsync())).isNotNull();
  }

  @Test
  void randomInterleavingsCompleteEveryFutureOnceAndDeliverNothingAfterTheFinalClose()
      throws Exception {
    Random random = new Random(20261206L);
    OcppClient c = client(OcppVersion.V1_6, b -> b.retryInitialConnect(true).backoff(FAST, FAST));
    for (int round = 0; round < 40; round++) {
      List<CompletableFuture<?>> futures = new ArrayList<>();
      CompletableFuture<OpenEvent> connect = c.connect();
      futures.add(connect);
      int steps = 1 + random.nextInt(4);
      for (int s = 0; s < steps; s++) {
        switch (random.nextInt(5)) {
          case 0 -> {
            for (ChargePoint cp : csms.chargePoints()) {
              if (cp.isOpen()) {
                cp.drop();
              }
            }
          }
          case 1 -> c.reconfigure(o -> o.reconnect(random.nextBoolean()));
          case 2 -> csms.rejectUpgrades(random.nextInt(3), 503);
          case 3 -> futures.add(c.close(CloseOptions.defaults().withAwaitPending(random.nextBoolean())));
          default -> connect.handle((v, e) -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      futures.add(c.close(CloseOptions.defaults().withForce(random.nextBoolean())));
      for (CompletableFuture<?> f : futures) {
        f.handle((v, e) -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      assertThat(c.state()).isEqualTo(ClientState.CLOSED);
      c.reconfigure(o -> o.reconnect(true));
      csms.rejectUpgrades(0, 503);
      // Exactly one final close per connect, and it is the last event of its round.
      String close = events.await("close");
      assertThat(close).startsWith("close");
      List<String> after = events.all();
      assertThat(after.get(after.size() - 1)).startsWith("close");
    }
    assertThat(SharedRuntime.schedulerUsers()).isZero();
  }
}
