package dev.ocppj.client.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The futures the client returns, and every stage derived from them: a {@link CompletableFuture}
 * that notices when the thread completing an answer starts waiting on one of them.
 *
 * <p>Why: a CALL from the CSMS is handed to its handler only after the answers that arrived
 * before it were delivered, stages chained on them included (so a RemoteStopTransaction finds the
 * transaction id a StartTransaction continuation stored). A stage that waits for another call of
 * the same client ({@code call(A).thenApply(r -> call(B).join())}) would hold that ordering for
 * ever; when it starts waiting, the ordering is released and later CALLs go ahead.
 *
 * @param <T> the value type
 */
public class OcppFuture<T> extends CompletableFuture<T> {
  private static final ThreadLocal<Runnable> ON_BLOCK = new ThreadLocal<>();

  /**
   * Runs {@code body}; if it waits on an unfinished {@code OcppFuture} on this thread, {@code
   * onBlock} runs first (at most once). Used by the delivery of an answer.
   */
  public static void runNotingBlocking(Runnable body, Runnable onBlock) {
    Runnable outer = ON_BLOCK.get();
    ON_BLOCK.set(onBlock);
    try {
      body.run();
    } finally {
      if (outer == null) {
        ON_BLOCK.remove();
      } else {
        ON_BLOCK.set(outer);
      }
    }
  }

  private void aboutToBlock() {
    if (isDone()) {
      return;
    }
    Runnable r = ON_BLOCK.get();
    if (r != null) {
      ON_BLOCK.set(null);
      r.run();
    }
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    aboutToBlock();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    aboutToBlock();
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    aboutToBlock();
    return super.join();
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new OcppFuture<>();
  }
}
