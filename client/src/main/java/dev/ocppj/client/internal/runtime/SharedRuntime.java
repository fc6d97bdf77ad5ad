package dev.ocppj.client.internal.runtime;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that all clients in a JVM share: one scheduler thread for every timer (call
 * timeouts, deadlines, backoff, pings), and the default executor for user code.
 *
 * <p>The scheduler is reference-counted: the first client that connects starts it and the last
 * one to close stops it, so no {@code ocpp-} thread outlives the clients. The user executor cannot
 * be exhausted: a virtual thread per task where the JVM has them (Java 21 and later, found at run
 * time since the library targets Java 17), otherwise a cached pool of daemon threads that end
 * after {@link #USER_THREAD_KEEP_ALIVE_SECONDS} idle. Library work never runs on it, so user code
 * that blocks there slows only itself.
 */
public final class SharedRuntime {
  /** Seconds an idle thread of the cached user pool lives before it ends. */
  public static final long USER_THREAD_KEEP_ALIVE_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(SharedRuntime.class);
  private static final Object LOCK = new Object();
  // Guarded by LOCK.
  private static ScheduledThreadPoolExecutor scheduler;
  private static int schedulerUsers;
  private static Executor userExecutor;
  private static boolean virtual;

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

  /** The default executor for user code, created on first use; it never rejects a task. */
  public static Executor userExecutor() {
    synchronized (LOCK) {
      if (userExecutor == null) {
        ThreadFactory virtualThreads = virtualThreadFactory();
        if (virtualThreads != null) {
          virtual = true;
          userExecutor = task -> virtualThreads.newThread(task).start();
        } else {
          userExecutor =
              new ElasticExecutor(
                  "ocpp-user-",
                  USER_THREAD_KEEP_ALIVE_SECONDS,
                  TimeUnit.SECONDS,
                  Math.max(2, Runtime.getRuntime().availableProcessors()));
        }
      }
      return userExecutor;
    }
  }

  /** True if the default user executor runs each task on a virtual thread. */
  public static boolean userThreadsAreVirtual() {
    userExecutor();
    synchronized (LOCK) {
      return virtual;
    }
  }

  /**
   * {@code Thread.ofVirtual().name("ocpp-user-", 0).factory()}, reached by reflection because
   * the library compiles for Java 17; null where virtual threads are missing or in preview.
   */
  private static ThreadFactory virtualThreadFactory() {
    try {
      Method ofVirtual = Thread.class.getMethod("ofVirtual");
      Object builder = ofVirtual.invoke(null);
      Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
      builder = ofVirtualType.getMethod("name", String.class, long.class).invoke(builder, "ocpp-user-", 0L);
      ThreadFactory f = (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
      f.newThread(() -> {}); // fails here if virtual threads are a preview feature
      return f;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.debug("no virtual threads ({}); user code runs on an elastic thread pool", e.toString());
      return null;
    }
  }
}
