package dev.ocppj.client.internal.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Where one client runs user code (handlers, listeners, continuations of its futures): the
 * executor the user injected, or the shared default. A task is never lost: if the user's executor
 * rejects it (one that was shut down, as a container does on shutdown), it runs on the shared
 * default instead, and the client hears of the first rejection so that it can fail visibly.
 */
public final class UserExecutor implements Executor {
  private final Executor delegate;
  private final boolean injected;
  private volatile Consumer<RuntimeException> onRejected = e -> {};
  private volatile boolean rejected;

  /** Wraps {@code injected}, or the shared default when it is null. */
  public UserExecutor(Executor injected) {
    this.delegate = injected != null ? injected : SharedRuntime.userExecutor();
    this.injected = injected != null;
  }

  /** Who hears of the first rejection; called on the thread that submitted the task. */
  public void onRejected(Consumer<RuntimeException> listener) {
    this.onRejected = listener;
  }

  /** Tries the injected executor again, for a new {@code connect()}. */
  public void reset() {
    rejected = false;
  }

  @Override
  public void execute(Runnable task) {
    if (!rejected) {
      try {
        delegate.execute(task);
        return;
      } catch (RejectedExecutionException e) {
        fail(task, e);
        return;
      } catch (RuntimeException e) {
        // An executor must not throw anything else, but one that does must not lose the task.
        fail(task, e);
        return;
      }
    }
    SharedRuntime.userExecutor().execute(task);
  }

  private void fail(Runnable task, RuntimeException e) {
    boolean first = !rejected;
    rejected = true;
    SharedRuntime.userExecutor().execute(task);
    if (first && injected) {
      onRejected.accept(e);
    }
  }
}
