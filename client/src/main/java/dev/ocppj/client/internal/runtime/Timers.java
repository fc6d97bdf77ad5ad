package dev.ocppj.client.internal.runtime;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's timers, on the scheduler all clients share. The client holds a lease on that
 * scheduler from {@code connect()} to its final close; outside it nothing is scheduled ({@link
 * #schedule} returns null), since nothing a closed client did still needs a timer.
 *
 * <p>Timer tasks are library work: they must be quick and must not run user code.
 */
public class Timers {
  private static final Logger log = LoggerFactory.getLogger(Timers.class);

  private final String owner;
  private volatile ScheduledExecutorService scheduler;

  /** Timers for the client {@code owner} (its identity, for the log). */
  public Timers(String owner) {
    this.owner = owner;
  }

  /** Takes a lease on the shared scheduler; once per {@code connect()}. */
  public synchronized void acquire() {
    if (scheduler == null) {
      scheduler = SharedRuntime.acquireScheduler();
    }
  }

  /** Gives the lease back; timers already scheduled are the caller's to cancel. */
  public synchronized void release() {
    ScheduledExecutorService s = scheduler;
    scheduler = null;
    if (s != null) {
      SharedRuntime.releaseScheduler(s);
    }
  }

  /**
   * Runs {@code task} after {@code delay} on the scheduler thread; a task that throws is logged.
   *
   * @return the timer, or null if the client holds no lease (it is closed)
   */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    ScheduledExecutorService s = scheduler;
    if (s == null) {
      return null;
    }
    try {
      return s.schedule(() -> run(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the last client released the scheduler meanwhile
    }
  }

  /** Runs {@code task} on the scheduler thread as soon as it is free; false without a lease. */
  public boolean execute(Runnable task) {
    return schedule(task, Duration.ZERO) != null;
  }

  private void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      log.warn("[{}] timer task failed", owner, e);
    }
  }

  /** Cancels {@code timer} if there is one. */
  public static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
