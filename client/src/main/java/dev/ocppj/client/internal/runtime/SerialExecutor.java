package dev.ocppj.client.internal.runtime;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: how one client's events
 * stay in order without a thread of their own. A task that throws is logged and the next runs.
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  public SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (scheduled.compareAndSet(false, true)) {
      delegate.execute(this::drain);
    }
  }

  private void drain() {
    // Bounded batch, so one busy client cannot monopolise a pool thread.
    for (int i = 0; i < 64; i++) {
      Runnable task = tasks.poll();
      if (task == null) {
        break;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.warn("event task failed", e);
      }
    }
    scheduled.set(false);
    // A task added after the last poll but before the flag was cleared must still run.
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      delegate.execute(this::drain);
    }
  }
}
