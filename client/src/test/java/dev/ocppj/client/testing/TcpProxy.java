package dev.ocppj.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy for fault injection: forwards bytes both ways between its clients and a
 * target, and on demand drops them (a link that died without closing, one way or both), holds
 * them (a stalled peer), delays them, chops them into one-byte writes, cuts a connection after a
 * number of bytes (mid-frame) or resets every connection at once. Every socket and thread it
 * starts ends with {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {
  /** A direction of the traffic. */
  public enum Direction {
    /** From the client to the target (the CSMS). */
    UP,
    /** From the target to the client. */
    DOWN
  }

  private final ServerSocket server;
  private volatile InetSocketAddress target;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object gate = new Object();
  private volatile boolean dropUp;
  private volatile boolean dropDown;
  private volatile boolean stalled;
  private volatile boolean refusing;
  private volatile boolean chopped;
  private volatile long delayNanos;

  public TcpProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    start(this::accept, "proxy-accept");
  }

  /** The proxy's endpoint for the given path, for example {@code ws://127.0.0.1:<port>/ocpp}. */
  public URI endpoint(String path) {
    return URI.create("ws://127.0.0.1:" + server.getLocalPort() + path);
  }

  /** Sends new connections to another port (a CSMS restarted elsewhere); open ones stay. */
  public void retarget(int targetPort) {
    target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
  }

  /** Drops bytes both ways from now on (read and discarded); no connection closes. */
  public void freeze() {
    dropUp = true;
    dropDown = true;
  }

  /** Drops the bytes of one direction only: a half-open link. */
  public void blackhole(Direction d) {
    if (d == Direction.UP) {
      dropUp = true;
    } else {
      dropDown = true;
    }
  }

  /** Forwards again both ways (undoes {@link #freeze} and {@link #blackhole}). */
  public void thaw() {
    dropUp = false;
    dropDown = false;
  }

  /** Stops reading both ways: bytes wait in the sockets' buffers until {@link #resume()}. */
  public void stall() {
    stalled = true;
  }

  /** Reads and forwards again after {@link #stall()}. */
  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /** Holds every chunk read for {@code delay} before forwarding it (zero: no delay). */
  public void delay(Duration delay) {
    delayNanos = delay.toNanos();
  }

  /** Forwards byte by byte, one write (and with no-delay sockets, one segment) each. */
  public void chop(boolean oneByteWrites) {
    chopped = oneByteWrites;
  }

  /** While true, new connections are accepted and closed at once, as by a CSMS that is down. */
  public void refuse(boolean refuse) {
    refusing = refuse;
  }

  /**
   * Lets {@code bytes} more bytes pass in direction {@code d} on every open connection, then
   * resets it: a connection cut in the middle of a frame.
   */
  public void cutAfter(Direction d, long bytes) {
    for (Link l : links) {
      (d == Direction.UP ? l.upBudget : l.downBudget).set(bytes);
    }
  }

  /** Resets every open connection at once (RST both ways), as a crashed peer or network would. */
  public void resetAll() {
    links.forEach(Link::reset);
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Connections whose client side is still open (neither end has closed or been reset). */
  public int openLinks() {
    int n = 0;
    for (Link l : links) {
      if (!l.ended) {
        n++;
      }
    }
    return n;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        if (refusing) {
          reset(client);
          continue;
        }
        InetSocketAddress to = target;
        Socket upstream;
        try {
          upstream = new Socket(to.getAddress(), to.getPort());
        } catch (IOException refused) {
          reset(client); // the CSMS is down: so is the connection
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        Link link = new Link(client, upstream);
        links.add(link);
        start(() -> link.pump(client, upstream, Direction.UP), "proxy-up");
        start(() -> link.pump(upstream, client, Direction.DOWN), "proxy-down");
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        // the target refused: the client's socket was closed with it
      }
    }
  }

  /** One proxied connection. */
  private final class Link {
    final Socket client;
    final Socket upstream;
    final AtomicLong upBudget = new AtomicLong(-1);
    final AtomicLong downBudget = new AtomicLong(-1);
    volatile boolean ended;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void pump(Socket from, Socket to, Direction d) {
      byte[] buf = new byte[8192];
      AtomicLong budget = d == Direction.UP ? upBudget : downBudget;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while (awaitUnstalled() && (n = in.read(buf)) >= 0) {
          if (!awaitUnstalled()) {
            return; // a chunk read just before a stall waits for the resume too
          }
          if (d == Direction.UP ? dropUp : dropDown) {
            continue;
          }
          long wait = delayNanos;
          if (wait > 0) {
            LockSupport.parkNanos(wait); // the injected latency itself, not a test waiting
          }
          long left = budget.get();
          int send = left < 0 ? n : (int) Math.min(n, left);
          write(out, buf, send);
          if (left >= 0 && budget.addAndGet(-send) <= 0) {
            reset();
            return;
          }
        }
      } catch (IOException e) {
        // one side closed or was reset
      } finally {
        ended = true;
        closeQuietly(from);
        closeQuietly(to);
      }
    }

    private void write(OutputStream out, byte[] buf, int n) throws IOException {
      if (chopped) {
        for (int i = 0; i < n; i++) {
          out.write(buf[i]);
          out.flush();
        }
      } else {
        out.write(buf, 0, n);
        out.flush();
      }
    }

    void reset() {
      ended = true;
      TcpProxy.reset(client);
      TcpProxy.reset(upstream);
    }
  }

  /** Waits while stalled; false if the proxy closed meanwhile. */
  private boolean awaitUnstalled() {
    synchronized (gate) {
      while (stalled && !server.isClosed()) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !server.isClosed();
  }

  private void start(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close with RST, not FIN
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    resume();
    for (Link l : links) {
      closeQuietly(l.client);
      closeQuietly(l.upstream);
    }
    try {
      for (Thread t : threads) {
        t.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
