package dev.ocppj.client;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cancels calls from outside, like an {@code AbortSignal}: pass it in {@link CallOptions} to any
 * number of calls, and {@link #cancel()} cancels those still pending. A cancelled call's future
 * completes with a {@link java.util.concurrent.CancellationException}, its pending entry is
 * removed, and a late answer is dropped. Cancelling the returned future directly does the same.
 */
public final class CancelToken {
  private final Map<Long, Runnable> actions = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean cancelled;

  /** Creates a token that is not cancelled. */
  public CancelToken() {}

  /** Cancels every call that uses this token and is still pending, and every later one. */
  public void cancel() {
    cancelled = true;
    for (Long id : actions.keySet()) {
      Runnable action = actions.remove(id);
      if (action != null) {
        action.run();
      }
    }
  }

  /** True once {@link #cancel()} ran. */
  public boolean isCancelled() {
    return cancelled;
  }

  /**
   * Runs {@code action} when the token is cancelled, at once if it already is; the returned
   * registration forgets the action (a call does that when it completes, so a long-lived token
   * does not collect finished calls).
   */
  public Registration onCancel(Runnable action) {
    Objects.requireNonNull(action, "action");
    Long id = ids.incrementAndGet();
    actions.put(id, action);
    if (cancelled && actions.remove(id) != null) {
      action.run();
    }
    return () -> actions.remove(id);
  }
}
