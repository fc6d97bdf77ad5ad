package dev.ocppj.client.internal.session;

import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.internal.runtime.Timers;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WebSocket pings for one open connection, and dead-link detection: a ping every {@code
 * pingInterval} (±25 % jitter, so a fleet does not ping in step), and if no pong comes within
 * {@code pongTimeout} the link counts as dead. While the session has stopped reading (inbound
 * backpressure), a missing pong proves nothing and the wait starts again. Timers run on the
 * shared scheduler; nothing here blocks or runs user code.
 */
final class Pinger {
  private final Session session;
  // Guarded by this.
  private ScheduledFuture<?> tick;
  private ScheduledFuture<?> pongTimer;
  private boolean stopped;
  private volatile long lastActivityNanos = System.nanoTime();
  // Guarded by this: when the unanswered ping went out, for the metrics hook's round trip; 0: none.
  private long pingSentNanos;

  Pinger(Session session) {
    this.session = session;
  }

  /** Arms the first ping, if pings are on. */
  synchronized void start() {
    stopped = false;
    scheduleTick(jittered(session.options().pingInterval()));
  }

  /** Disarms everything; the link closed or the options changed. */
  synchronized void stop() {
    stopped = true;
    Timers.cancel(tick);
    Timers.cancel(pongTimer);
    tick = null;
    pongTimer = null;
  }

  /** Re-arms with the current options, for a reconfigure. */
  synchronized void restart() {
    stop();
    start();
  }

  /** A frame arrived: the link is alive. */
  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  /** A pong arrived. */
  void pong() {
    long sent;
    synchronized (this) {
      activity();
      Timers.cancel(pongTimer);
      pongTimer = null;
      sent = pingSentNanos;
      pingSentNanos = 0;
    }
    if (sent != 0) {
      session.parts.metrics().pong(Duration.ofNanos(System.nanoTime() - sent)); // not under the lock
    }
  }

  private void tick() {
    ClientOptions o = session.options();
    Duration interval = o.pingInterval();
    synchronized (this) {
      if (stopped || interval.isZero()) {
        return;
      }
      if (o.deferPingsOnActivity()) {
        long idle = System.nanoTime() - lastActivityNanos;
        if (idle < interval.toNanos()) {
          // Traffic proves the link alive; ping when it has been quiet for a whole interval.
          scheduleTick(interval.minusNanos(idle));
          return;
        }
      }
    }
    long sentAt = session.parts.metrics().on() ? System.nanoTime() : 0;
    // The pong's deadline and the send time are set before the ping goes out: a pong that comes
    // back at once must find them (set after, it left a stale deadline armed, a false pong
    // timeout one interval later, and no round trip measured).
    synchronized (this) {
      if (stopped) {
        return;
      }
      if (sentAt != 0 && pingSentNanos == 0) {
        pingSentNanos = sentAt; // the oldest unanswered ping: a pong answers it first
      }
      if (pongTimer == null) {
        pongTimer = session.parts.timers().schedule(this::pongTimedOut, o.effectivePongTimeout());
      }
    }
    if (!session.ping()) {
      return; // closing; the close ends this pinger and cancels its timer
    }
    synchronized (this) {
      if (stopped) {
        return;
      }
      scheduleTick(jittered(interval));
    }
  }

  private void pongTimedOut() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      pongTimer = null;
      if (session.readingPaused()) {
        // The pong may be waiting in the socket we stopped reading: wait again.
        pongTimer = session.parts.timers().schedule(this::pongTimedOut, session.options().effectivePongTimeout());
        return;
      }
    }
    session.owner.pongTimedOut(session);
  }

  private void scheduleTick(Duration delay) {
    if (!delay.isZero() && !delay.isNegative() && !stopped) {
      tick = session.parts.timers().schedule(this::tick, delay);
    }
  }

  private static Duration jittered(Duration interval) {
    if (interval.isZero()) {
      return Duration.ZERO;
    }
    double factor = 0.75 + 0.5 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (interval.toNanos() * factor));
  }
}
