package dev.ocppj.client.internal.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that all clients in a JVM share: one scheduler thread for every timer (call
 * timeouts, connect and close deadlines, backoff, pings) and one callback pool for user code.
 *
 * <p>The scheduler is reference-counted: the first client that connects starts it and the last
 * one to close stops it, so no {@code ocpp-} thread outlives the clients. The callback pool is a
 * {@link ForkJoinPool}: its idle workers end after {@link #CALLBACK_KEEP_ALIVE_SECONDS}, and a
 * worker that blocks on a {@code CompletableFuture} (a handler that waits for its own call's
 * answer) makes the pool add a spare worker instead of starving the completions it waits for.
 */
public final class SharedRuntime {
  /** Seconds an idle callback thread lives before it ends. */
  public static final long CALLBACK_KEEP_ALIVE_SECONDS = 5;

  private static final Object LOCK = new Object();
  // Guarded by LOCK.
  private static ScheduledThreadPoolExecutor scheduler;
  private static int schedulerUsers;
  private static ForkJoinPool callbackPool;

  private SharedRuntime() {}

  /**
   * Returns the shared scheduler, starting it if this is its first user. Every call must be
   * matched by one {@link #releaseScheduler(ScheduledExecutorService)} once the caller has
   * cancelled its timers.
   */
  public static ScheduledExecutorService acquireScheduler() {
    synchronized (LOCK) {
      if (scheduler == null) {
        ScheduledThreadPoolExecutor s =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "ocpp-scheduler");
                  t.setDaemon(true);
                  return t;
                });
        // Cancelled call timeouts must not pile up in the queue until their deadline.
        s.setRemoveOnCancelPolicy(true);
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler = s;
      }
      schedulerUsers++;
      return scheduler;
    }
  }

  /** Gives back a scheduler from {@link #acquireScheduler()}; the last user stops it. */
  public static void releaseScheduler(ScheduledExecutorService s) {
    synchronized (LOCK) {
      if (s != scheduler || schedulerUsers == 0) {
        throw new IllegalStateException("scheduler released more often than acquired");
      }
      if (--schedulerUsers == 0) {
        scheduler.shutdownNow();
        scheduler = null;
      }
    }
  }

  /** The number of clients that currently hold the shared scheduler (for tests). */
  public static int schedulerUsers() {
    synchronized (LOCK) {
      return schedulerUsers;
    }
  }

  /** The shared callback pool, created on first use. */
  public static Executor callbackExecutor() {
    synchronized (LOCK) {
      if (callbackPool == null) {
        int parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger ids = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory =
            pool -> {
              ForkJoinWorkerThread t = new ForkJoinWorkerThread(pool) {};
              t.setName("ocpp-callback-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            };
        callbackPool =
            new ForkJoinPool(
                parallelism,
                factory,
                null,
                /* asyncMode= */ true,
                /* corePoolSize= */ 0,
                /* maximumPoolSize= */ parallelism + 256,
                /* minimumRunnable= */ 1,
                // Past the maximum, a blocking worker blocks without a spare rather than failing.
                /* saturate= */ pool -> true,
                CALLBACK_KEEP_ALIVE_SECONDS,
                TimeUnit.SECONDS);
      }
      return callbackPool;
    }
  }
}
