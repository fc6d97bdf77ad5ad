package dev.ocppj.client.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The futures the client returns, and every stage derived from them: a {@link CompletableFuture}
 * that knows when a thread waits on it, for two reasons.
 *
 * <p><b>Ordering.</b> A CALL from the CSMS is handed to its handler only after the answers that
 * arrived before it were delivered, stages chained on them included (so a RemoteStopTransaction
 * finds the transaction id a StartTransaction continuation stored). A stage that waits for another
 * call of the same client ({@code call(A).thenApply(r -> call(B).join())}) would hold that
 * ordering for ever; when it starts waiting, the ordering is released and later CALLs go ahead.
 *
 * <p><b>One wake-up.</b> An answer is delivered on the user executor, which wakes a pooled
 * thread, which completes the future and wakes the thread blocked in {@code get()}. When a
 * thread is blocked on this very future, the delivery is handed to that thread instead (as
 * gRPC's blocking stubs do): one wake-up, and the stages chained on the future still run on a
 * user thread, never on the connection's.
 *
 * @param <T> the value type
 */
public class OcppFuture<T> extends CompletableFuture<T> {
  private static final ThreadLocal<Runnable> ON_BLOCK = new ThreadLocal<>();
  private static final Object TAKEN = new Object();
  private static final VarHandle WAITER;
  private static final VarHandle MAILBOX;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      WAITER = l.findVarHandle(OcppFuture.class, "waiter", Thread.class);
      MAILBOX = l.findVarHandle(OcppFuture.class, "mailbox", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The future whose completion completes this one, if any: waiting on this one waits there.
  private final OcppFuture<?> source;
  // The thread blocked in get()/join() on this future, if one is and it may take deliveries.
  private volatile Thread waiter;
  // A delivery handed to the waiter (a Runnable), or TAKEN once nobody may take one any more.
  private volatile Object mailbox;

  public OcppFuture() {
    this(null);
  }

  /** A future completed when {@code source} completes (a typed view of a call, say). */
  public OcppFuture(OcppFuture<?> source) {
    this.source = source;
  }

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

  /**
   * Hands {@code delivery} (which completes this future) to the thread blocked on it, and wakes
   * that thread; false if no thread is, and the caller must run it elsewhere.
   */
  public boolean offerToWaiter(Runnable delivery) {
    Thread w = waiter;
    if (w == null || !MAILBOX.compareAndSet(this, null, delivery)) {
      return false;
    }
    LockSupport.unpark(w);
    return true;
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

  /**
   * Before blocking in {@code get()}/{@code join()}: waits here instead, ready to run a delivery
   * handed over, until this future is done or {@code deadline} ({@link System#nanoTime()}, 0 for
   * none) passes or the thread is interrupted.
   */
  private void awaitHere(long deadline, boolean interruptible) {
    if (source != null) {
      source.awaitHere(deadline, interruptible);
      return;
    }
    if (isDone() || !WAITER.compareAndSet(this, null, Thread.currentThread())) {
      return; // done, or another thread waits here already: the ordinary wait
    }
    Thread me = Thread.currentThread();
    try {
      whenComplete((v, e) -> LockSupport.unpark(me)); // completed elsewhere: wake up
      while (!isDone()) {
        Object m = mailbox;
        if (m instanceof Runnable delivery && MAILBOX.compareAndSet(this, m, TAKEN)) {
          delivery.run();
          return;
        }
        if (deadline != 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return;
          }
          LockSupport.parkNanos(this, left);
        } else {
          LockSupport.park(this);
        }
        if (interruptible && Thread.currentThread().isInterrupted()) {
          return;
        }
      }
    } finally {
      waiter = null;
      // A delivery handed over as this thread gave up waiting is still this thread's to run.
      Object m = MAILBOX.getAndSet(this, TAKEN);
      if (m instanceof Runnable delivery) {
        delivery.run();
      }
    }
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (isDone()) {
      return super.get();
    }
    aboutToBlock();
    Object blocking = ElasticExecutor.blocking();
    try {
      awaitHere(0, true);
      return super.get();
    } finally {
      ElasticExecutor.unblocked(blocking);
    }
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (isDone()) {
      return super.get();
    }
    aboutToBlock();
    long nanos = unit.toNanos(timeout);
    long deadline = System.nanoTime() + nanos;
    Object blocking = ElasticExecutor.blocking();
    try {
      awaitHere(deadline == 0 ? 1 : deadline, true);
      return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } finally {
      ElasticExecutor.unblocked(blocking);
    }
  }

  @Override
  public T join() {
    if (isDone()) {
      return super.join();
    }
    aboutToBlock();
    Object blocking = ElasticExecutor.blocking();
    try {
      awaitHere(0, false);
      return super.join();
    } finally {
      ElasticExecutor.unblocked(blocking);
    }
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new OcppFuture<>();
  }
}
