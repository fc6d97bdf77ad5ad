package dev.ocppj.client.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Timers on a manual clock: tasks run only when a test advances time. Single-threaded use. */
public final class ManualTimers {
  private long now;
  private final List<Task> tasks = new ArrayList<>();

  /** Schedules {@code task} to run {@code delay} from the current manual time. */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    Task t = new Task(task, now + delay.toNanos());
    tasks.add(t);
    return t;
  }

  /** Advances the clock, running every task that falls due, in due order. */
  public void advance(Duration d) {
    long target = now + d.toNanos();
    while (true) {
      Task next =
          tasks.stream()
              .filter(t -> !t.cancelled && t.due <= target)
              .min(Comparator.comparingLong(t -> t.due))
              .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = next.due;
      next.done = true;
      next.task.run();
    }
    now = target;
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public long pending() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable task;
    final long due;
    boolean cancelled;
    boolean done;

    Task(Runnable task, long due) {
      this.task = task;
      this.due = due;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (done || cancelled) {
        return false;
      }
      cancelled = true;
      tasks.remove(this);
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
