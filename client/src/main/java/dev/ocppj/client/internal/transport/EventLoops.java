package dev.ocppj.client.internal.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one event-loop group every Netty connection in the JVM shares: one thread per core
 * ({@code ocpp-io-N}), native epoll where the platform has it, NIO otherwise. Reference-counted
 * like the scheduler: the first connection starts it, the last one to end stops it, so no
 * {@code ocpp-} thread outlives the clients.
 */
final class EventLoops {
  private static final Logger log = LoggerFactory.getLogger(EventLoops.class);
  private static final Object LOCK = new Object();
  private static final boolean EPOLL = epoll();
  // How long an unused group waits for a new connection before its threads end.
  private static final long LINGER_MILLIS = 1000;

  // Guarded by LOCK.
  private static EventLoopGroup group;
  private static int users;

  private EventLoops() {}

  private static boolean epoll() {
    try {
      return Epoll.isAvailable();
    } catch (LinkageError e) {
      return false; // the native library is missing for this platform
    }
  }

  /** The channel class that goes with the group. */
  static Class<? extends SocketChannel> channelType() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** True if the group runs on native epoll. */
  static boolean nativeEpoll() {
    return EPOLL;
  }

  /** Takes a lease on the group, starting it if needed; give it back with {@link #release}. */
  static EventLoopGroup acquire() {
    synchronized (LOCK) {
      if (group == null) {
        IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("ocpp-io", true), io);
        log.debug("started {} event loop threads ({})", threads, EPOLL ? "epoll" : "nio");
      }
      users++;
      return group;
    }
  }

  /**
   * Gives a lease back. When the last one is gone the group stops a second later, unless a new
   * connection came meanwhile: a client that reconnects keeps its threads.
   */
  static void release(EventLoopGroup g) {
    synchronized (LOCK) {
      if (g != group || users == 0) {
        return;
      }
      if (--users == 0) {
        g.schedule(() -> stopIfUnused(g), LINGER_MILLIS, TimeUnit.MILLISECONDS);
      }
    }
  }

  private static void stopIfUnused(EventLoopGroup g) {
    synchronized (LOCK) {
      if (g != group || users > 0) {
        return;
      }
      group = null;
    }
    g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Leases held (for tests). */
  static int users() {
    synchronized (LOCK) {
      return users;
    }
  }
}
