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

  private StationTimer() {}

  /** Runs {@code task} after {@code delay}; a task that throws is reported, never kills the thread. */
  static ScheduledFuture<?> after(Duration delay, Runnable task) {
    return TIMER.schedule(guard(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} every {@code period}, the first time after {@code firstDelay}. */
  static ScheduledFuture<?> every(Duration firstDelay, Duration period, Runnable task) {
    return TIMER.scheduleAtFixedRate(
        guard(task), Math.max(0, firstDelay.toMillis()), Math.max(1, period.toMillis()), TimeUnit.MILLISECONDS);
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
