package dev.ocppj.client.internal.runtime;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default executor for user code where the JVM has no virtual threads. Two promises pull
 * against each other: it can never be exhausted (a handler may block for as long as it likes, and
 * other tasks still run), and it must not cost a thread wake-up per task (every answer and every
 * CALL of every client is one of its tasks, and a wake-up is most of what a round trip costs).
 *
 * <p>Tasks wait in one FIFO queue. A worker that finishes a task takes the next one without
 * parking, so under load tasks flow to running threads with no wake-up at all; a parked worker is
 * woken only when no other worker is already on its way to the queue, and a woken worker that
 * leaves work behind wakes the next (as {@code ForkJoinPool} does). Up to one worker per core is
 * started as tasks come; beyond that a thread is added only when the running ones are stuck: at
 * once for a worker that blocks on one of the client's futures ({@link #blocking}), and after
 * {@value #STALL_MILLIS} ms without progress for anything else (a sleeping or I/O-bound task),
 * seen by a watchdog that runs only while tasks wait. Idle threads end after the keep-alive; so
 * does the watchdog.
 */
final class ElasticExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(ElasticExecutor.class);
  static final long STALL_MILLIS = 1;
  private static final int EXIT = 0;
  private static final int WOKEN = 1;
  private static final int RECHECK = 2;

  private final String prefix;
  private final long keepAliveNanos;
  private final int eager;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  // Parked (or parking) workers, most recently idle first: the others reach their keep-alive.
  private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
  // Workers woken that have not yet looked at the queue: they will take what is there.
  private final AtomicInteger searching = new AtomicInteger();
  private final AtomicInteger live = new AtomicInteger();
  private final AtomicInteger blocked = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  // Tasks taken so far: the watchdog's measure of progress.
  private final AtomicLong taken = new AtomicLong();
  private final Object watchdogLock = new Object();
  private Thread watchdog; // guarded by watchdogLock
  private volatile boolean watching;

  /**
   * @param prefix thread names: {@code prefix + n}, and {@code prefix + "watchdog"}
   * @param keepAlive how long an idle thread stays
   * @param eager threads started without waiting for a stall (about one per core)
   */
  ElasticExecutor(String prefix, long keepAlive, TimeUnit unit, int eager) {
    this.prefix = prefix;
    this.keepAliveNanos = unit.toNanos(keepAlive);
    this.eager = eager;
  }

  @Override
  public void execute(Runnable task) {
    queue.offer(Objects.requireNonNull(task, "task"));
    signal();
  }

  /** Makes sure someone will take the task just queued. */
  private void signal() {
    if (searching.get() > 0) {
      return; // a woken worker has yet to look at the queue
    }
    Worker w = idle.pollFirst();
    if (w != null) {
      searching.incrementAndGet();
      w.wake();
    } else if (live.get() - blocked.get() < eager) {
      startWorker();
    } else {
      watch();
    }
  }

  private void startWorker() {
    live.incrementAndGet();
    Worker w = new Worker(prefix + ids.incrementAndGet());
    try {
      w.start();
    } catch (OutOfMemoryError | RuntimeException e) {
      live.decrementAndGet(); // no thread to be had; the running ones take the task later
      log.warn("could not start a thread for user code: {}", e.toString());
    }
  }

  // ---- stalls

  /** Every worker is busy and a task waits: have the watchdog look. */
  private void watch() {
    if (watching) {
      return;
    }
    watching = true;
    Thread w;
    synchronized (watchdogLock) {
      w = watchdog;
      if (w == null) {
        watchdog = new Thread(this::watchdogLoop, prefix + "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return;
      }
    }
    LockSupport.unpark(w);
  }

  private void watchdogLoop() {
    long last = taken.get();
    while (true) {
      if (!watching) {
        LockSupport.parkNanos(this, keepAliveNanos);
        if (!watching) {
          synchronized (watchdogLock) {
            if (!watching) {
              watchdog = null;
              return;
            }
          }
        }
        last = taken.get();
        continue;
      }
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS));
      if (queue.isEmpty()) {
        watching = false;
        if (queue.isEmpty()) {
          continue;
        }
        watching = true; // a task came as the flag went down, and its producer saw it up
      }
      long now = taken.get();
      if (now == last) {
        startWorker(); // nothing taken for a while: the running workers are stuck
      }
      last = now;
    }
  }

  /**
   * The current thread is about to wait (on one of the client's futures): if it is one of this
   * executor's workers it stops counting as running, so a task that comes meanwhile gets a thread
   * at once. Returns the worker, to pass to {@link #unblocked}; null for any other thread.
   */
  static Object blocking() {
    if (Thread.currentThread() instanceof Worker w) {
      ElasticExecutor pool = w.pool();
      pool.blocked.incrementAndGet();
      if (!pool.queue.isEmpty()) {
        pool.signal();
      }
      return w;
    }
    return null;
  }

  /** The wait that {@link #blocking} announced is over. */
  static void unblocked(Object token) {
    if (token instanceof Worker w) {
      w.pool().blocked.decrementAndGet();
    }
  }

  @Override
  public String toString() {
    return "ElasticExecutor{queued=" + queue.size() + ", live=" + live.get() + ", blocked=" + blocked.get()
        + ", searching=" + searching.get() + ", idle=" + idle.size() + ", watching=" + watching
        + ", taken=" + taken.get() + "}";
  }

  /** Threads alive (for tests). */
  int threads() {
    return live.get();
  }

  // ---- workers

  private final class Worker extends Thread {
    private volatile boolean woken;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    ElasticExecutor pool() {
      return ElasticExecutor.this;
    }

    void wake() {
      woken = true;
      LockSupport.unpark(this);
    }

    @Override
    public void run() {
      boolean wasWoken = false;
      while (true) {
        Runnable task = queue.poll();
        if (wasWoken) {
          searching.decrementAndGet();
          wasWoken = false;
        }
        if (task == null) {
          int r = idleWait();
          if (r == EXIT) {
            live.decrementAndGet();
            if (!queue.isEmpty()) {
              signal(); // a task came as this thread was leaving
            }
            return;
          }
          wasWoken = r == WOKEN;
          continue;
        }
        taken.incrementAndGet();
        if (!queue.isEmpty()) {
          signal(); // more waits: wake a helper (no-op if one is on its way)
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.warn("user task failed", e);
        }
        Thread.interrupted(); // a task's interrupt must not make the next park return at once
      }
    }

    /** Parks until woken or the keep-alive ends. */
    private int idleWait() {
      woken = false;
      idle.addFirst(this);
      if (!queue.isEmpty() && idle.remove(this)) {
        return RECHECK; // a task came before this thread was seen idle
      }
      long deadline = System.nanoTime() + keepAliveNanos;
      while (!woken) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          if (idle.remove(this)) {
            return EXIT;
          }
          while (!woken) {
            Thread.onSpinWait(); // taken off the idle list just now: the wake is on its way
          }
          break;
        }
        LockSupport.parkNanos(this, left);
      }
      return WOKEN;
    }
  }
}
