package dev.ocppj.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server on 127.0.0.1 that completes the upgrade (selecting the first offered
 * subprotocol) and then reads and ignores everything: no answers, no pongs, no close frame. For
 * tests of what the client does when its peer goes silent. Serves one connection.
 */
public final class SilentPeer implements AutoCloseable {
  private final RawPeer peer;
  private final Thread thread;
  private final CountDownLatch upgraded = new CountDownLatch(1);
  private volatile long bytesAfterUpgrade;

  public SilentPeer() throws IOException {
    peer = new RawPeer();
    thread = new Thread(this::serve, "silent-peer");
    thread.setDaemon(true);
    thread.start();
  }

  /** The endpoint to connect to. */
  public URI endpoint() {
    return peer.endpoint();
  }

  /** Waits until a client completed the upgrade. */
  public boolean awaitUpgrade(long seconds) throws InterruptedException {
    return upgraded.await(seconds, TimeUnit.SECONDS);
  }

  /** Bytes received after the upgrade (frames the client sent). */
  public long bytesAfterUpgrade() {
    return bytesAfterUpgrade;
  }

  private void serve() {
    try {
      RawPeer.Conn conn = peer.accept(Duration.ofSeconds(60));
      upgraded.countDown();
      InputStream in = conn.socket().getInputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) >= 0) {
        bytesAfterUpgrade += n;
      }
    } catch (IOException | InterruptedException | AssertionError e) {
      // closed by the test or the client, or nobody came
    }
  }

  @Override
  public void close() throws IOException {
    peer.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
