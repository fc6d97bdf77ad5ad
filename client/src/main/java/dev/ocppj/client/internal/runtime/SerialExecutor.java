package dev.ocppj.client.internal.runtime;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: how one client's events
 * stay in order without a thread of their own. A task that throws is logged and the next runs. It
 * counts the tasks not yet run, so that a client can stop reading while its listeners lag.
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  // Bounded batch, so one busy client cannot hold a pooled thread for ever.
  private static final int BATCH = 64;

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger backlog = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile Runnable afterBatch = () -> {};

  public SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  /** Runs after every batch of tasks, on the executor's thread: a chance to resume reading. */
  public void afterBatch(Runnable hook) {
    this.afterBatch = hook;
  }

  /** Tasks submitted and not yet finished. */
  public int backlog() {
    return backlog.get();
  }

  @Override
  public void execute(Runnable task) {
    if (enqueue(task)) {
      scheduleDrain();
    }
  }

  /**
   * Adds a task without calling the delegate, for a caller that holds a lock; true if the caller
   * must then call {@link #scheduleDrain()} (after releasing it).
   */
  public boolean enqueue(Runnable task) {
    tasks.add(task);
    backlog.incrementAndGet();
    return scheduled.compareAndSet(false, true);
  }

  /** Hands the draining of the queue to the delegate; see {@link #enqueue}. */
  public void scheduleDrain() {
    delegate.execute(this::drain);
  }

  private void drain() {
    for (int i = 0; i < BATCH; i++) {
      Runnable task = tasks.poll();
      if (task == null) {
        break;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.warn("event task failed", e);
      } finally {
        backlog.decrementAndGet();
      }
    }
    scheduled.set(false);
    try {
      afterBatch.run();
    } catch (RuntimeException e) {
      log.warn("after-batch hook failed", e);
    }
    // A task added after the last poll but before the flag was cleared must still run.
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      delegate.execute(this::drain);
    }
  }
}
