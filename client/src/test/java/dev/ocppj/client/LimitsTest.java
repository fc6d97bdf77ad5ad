package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.testing.RawPeer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a hostile or broken CSMS can make the client hold: message size, inbound work, outbound
 * bytes. Each bound ends in a clear close, never in an OutOfMemoryError. Runs on each transport.
 */
abstract class LimitsTest {
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

  private RawPeer peer(int receiveBuffer) throws IOException {
    RawPeer p = new RawPeer(receiveBuffer);
    resources.add(p);
    return p;
  }

  private OcppClient client(RawPeer peer, java.util.function.UnaryOperator<OcppClient.Builder> config) {
    OcppClient c =
        config
            .apply(
                OcppClient.builder(peer.endpoint(), "CP1")
                    .protocols(OcppVersion.V1_6)
                    .transport(transport())
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                    .listener(events))
            .build();
    resources.add(() -> c.close(CloseOptions.defaults().withForce(true)));
    return c;
  }

  /** Connects a default client to {@code peer} and returns the peer's side of the connection. */
  private RawPeer.Conn connectedTo(RawPeer peer) throws Exception {
    ClientTestBase.get(client(peer, b -> b).connect());
    return peer.accept(WAIT);
  }

  @Test
  void aHeaderAnnouncingTwoGibibytesClosesWith1009AtOnceAndTheClientReconnects() throws Exception {
    RawPeer peer = peer(0);
    RawPeer.Conn conn = connectedTo(peer);

    conn.sendHeader(RawPeer.TEXT, true, Integer.MAX_VALUE); // 2 GiB, the most a frame may announce

    RawPeer.Frame close = conn.readClose(WAIT);
    assertThat(close).isNotNull();
    assertThat(close.closeCode()).isEqualTo(1009);
    assertThat(events.await("error")).contains("maxMessageSize").contains("1009");
    events.await("disconnect 1009");
    peer.accept(WAIT); // reconnected as after any drop
    events.await("open");
  }

  @Test
  void aSingleHugeFrameIsRefusedAfterItsHeader() throws Exception {
    RawPeer peer = peer(0);
    RawPeer.Conn conn = connectedTo(peer);
    long announced = 200L * 1024 * 1024;
    conn.sendHeader(RawPeer.TEXT, true, announced);
    // Stream the payload from another thread; the client closes long before it is all sent.
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    AtomicInteger written = new AtomicInteger();
    Thread writer =
        inBackground(
            () -> {
              for (long sent = 0; sent < announced; sent += chunk.length) {
                conn.write(chunk);
                written.incrementAndGet();
              }
            });
    assertClosedWith1009(conn, writer);
    assertThat(written.get() * 64L * 1024).isLessThan(announced);
  }

  @Test
  void anEndlessMessageOfContinuationFramesIsCutAtTheLimit() throws Exception {
    RawPeer peer = peer(0);
    RawPeer.Conn conn = connectedTo(peer);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    AtomicInteger fragments = new AtomicInteger();
    Thread writer =
        inBackground(
            () -> {
              conn.sendFrame(RawPeer.TEXT, false, "[2,\"1\",\"DataTransfer\",{\"data\":\"".getBytes());
              for (int i = 0; i < 100_000; i++) { // 6 GiB if nobody stops it
                conn.sendFrame(RawPeer.CONTINUATION, false, chunk);
                fragments.incrementAndGet();
              }
            });
    assertClosedWith1009(conn, writer);
    assertThat(fragments.get()).isLessThan(1000);
  }

  /** Writes on a daemon thread until done or the client closes the connection. */
  interface Writes {
    void run() throws IOException;
  }

  private static Thread inBackground(Writes writes) {
    Thread t =
        new Thread(
            () -> {
              try {
                writes.run();
              } catch (IOException e) {
                // the client closed the connection
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void assertClosedWith1009(RawPeer.Conn conn, Thread writer) throws Exception {
    RawPeer.Frame close = conn.readClose(WAIT);
    assertThat(close).isNotNull();
    assertThat(close.closeCode()).isEqualTo(1009);
    events.await("disconnect 1009");
    writer.join(WAIT.toMillis());
  }

  @Test
  void aFloodOfCallsIsReadNoFasterThanTheHandlersTakeThem() throws Exception {
    RawPeer peer = peer(0);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    OcppClient c = client(peer, b -> b);
    c.handle(
        "DataTransfer",
        call -> {
          calls.incrementAndGet();
          release.await(30, TimeUnit.SECONDS);
          return Map.of("status", "Accepted");
        });
    ClientTestBase.get(c.connect());
    RawPeer.Conn conn = peer.accept(WAIT);
    String padding = "x".repeat(1000);
    int total = 20_000; // 20 MB: far more than any socket buffers hold
    // Write without blocking: when the client stops reading, the socket stops taking bytes.
    SocketChannel channel = nonBlockingTwin(conn);
    int written = 0;
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_WRITE);
      ByteBuffer pending = null;
      while (written < total) {
        if (pending == null) {
          byte[] text =
              ("[2,\"m" + written + "\",\"DataTransfer\",{\"vendorId\":\"v\",\"data\":\"" + padding + "\"}]")
                  .getBytes();
          pending = ByteBuffer.allocate(text.length + 4);
          pending.put(RawPeer.Conn.header(RawPeer.TEXT, true, text.length)).put(text).flip();
        }
        channel.write(pending);
        if (pending.hasRemaining()) {
          if (selector.select(3000) == 0) {
            break; // the client has stopped reading
          }
          selector.selectedKeys().clear();
          continue;
        }
        pending = null;
        written++;
      }
    }
    assertThat(written).as("frames the socket took before the client stopped reading").isLessThan(total);
    // It holds a bounded number: what the handlers took, plus the backlog it is allowed.
    assertThat(events.all().stream().filter(e -> e.startsWith("call ")).count()).isLessThan(2000);

    release.countDown();
    assertThat(c.state()).isEqualTo(ClientState.OPEN);
  }

  /** The peer connection's socket as a non-blocking channel of its own. */
  private static SocketChannel nonBlockingTwin(RawPeer.Conn conn) throws IOException {
    SocketChannel ch = conn.socket().getChannel();
    if (ch == null) {
      throw new IllegalStateException("RawPeer sockets have no channel");
    }
    ch.configureBlocking(false);
    return ch;
  }

  @Test
  void aCsmsThatStopsReadingGetsDisconnectedAtTheOutboundLimit() throws Exception {
    RawPeer peer = peer(16 * 1024);
    OcppClient c = client(peer, b -> b.callConcurrency(1000).reconnect(false));
    ClientTestBase.get(c.connect());
    peer.accept(WAIT); // and never read from it
    String data = "x".repeat(512 * 1024);
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 64; i++) { // 32 MiB
      calls.add(c.call("DataTransfer", Map.of("vendorId", "v", "data", data)));
    }
    String close = events.await("close");
    assertThat(close).contains("maxOutboundBytes");
    // Calls that went out fail as the connection dropped; the one that did not fit was never sent.
    int dropped = 0;
    for (CompletableFuture<JsonNode> call : calls) {
      Throwable t = ClientTestBase.failure(call);
      assertThat(t).isInstanceOfAny(ConnectionClosedException.class, ClientClosedException.class);
      dropped += t instanceof ConnectionClosedException ? 1 : 0;
    }
    assertThat(dropped).isPositive();
  }

  @Test
  void pongsToACsmsThatStopsReadingDoNotPileUp() throws Exception {
    RawPeer peer = peer(16 * 1024);
    OcppClient c = client(peer, b -> b.reconnect(false));
    ClientTestBase.get(c.connect());
    RawPeer.Conn conn = peer.accept(WAIT);
    byte[] payload = new byte[125];
    Thread pinger =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 2_000_000; i++) {
                  conn.sendFrame(RawPeer.PING, true, payload);
                }
              } catch (IOException e) {
                // closed by the client
              }
            });
    pinger.setDaemon(true);
    pinger.start();
    String close = events.await("close");
    assertThat(close).contains("maxOutboundBytes");
    pinger.join(WAIT.toMillis());
  }
}
