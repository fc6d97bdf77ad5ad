package dev.ocppj.chargepoint;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread for every station in the JVM (heartbeats, meter values, reservation expiry,
 * reboot and transfer delays): a simulator of 10,000 stations costs one thread here, not 10,000.
 * A task only starts work (a message, a queued step) and never blocks, so one thread keeps up.
 */
final class StationTimer {
  private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "ocpp-station-timer");
    t.setDaemon(true);
    return t;
  });

  static {
    TIMER.setRemoveOnCancelPolicy(true);
    TIMER.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The longest delay a timer takes (about 292 million years): a date-time far in the future still arms one timer. */
  private static final long MAX_DELAY_MS = Long.MAX_VALUE / 2;

  private StationTimer() {}

  // Duration.toMillis throws ArithmeticException past Long.MAX_VALUE ms: a CSMS's expiryDate in
  // the year 999999999 must arm a (never firing) timer, not kill the caller.
  private static long millis(Duration d) {
    return d.isNegative() ? 0 : d.compareTo(Duration.ofMillis(MAX_DELAY_MS)) > 0 ? MAX_DELAY_MS : d.toMillis();
  }

  /** Runs {@code task} after {@code delay}; a task that throws is reported, never kills the thread. */
  static ScheduledFuture<?> after(Duration delay, Runnable task) {
    return TIMER.schedule(guard(task), millis(delay), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} every {@code period}, the first time after {@code firstDelay}. */
  static ScheduledFuture<?> every(Duration firstDelay, Duration period, Runnable task) {
    return TIMER.scheduleAtFixedRate(
        guard(task), millis(firstDelay), Math.max(1, millis(period)), TimeUnit.MILLISECONDS);
  }

  /** How many tasks wait on the timer, for tests that check a CSMS cannot pile them up. */
  static int scheduled() {
    return TIMER.getQueue().size();
  }

  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        org.slf4j.LoggerFactory.getLogger(StationTimer.class).warn("station timer task failed", e);
      }
    };
  }
}
