package dev.ocppj.client.internal.pending;

import dev.ocppj.client.internal.pending.PendingCall.Stage;
import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The registry of a client's outgoing calls: message id to call, the {@code callConcurrency}
 * limit with its FIFO queue, and the timeouts.
 *
 * <p>A call is <em>queued</em> until an in-flight slot is free, then <em>admitted</em>: it takes
 * the slot and its timeout starts. It is sent at once if a connection is open, else as soon as
 * one opens; so waiting behind other calls never counts against the timeout, but waiting for a
 * connection does, and no call waits forever. A queued call waits at most for the calls ahead of
 * it, each bounded by its own timeout.
 *
 * <p>Every method is thread-safe. Sends happen under the lock, which keeps frames in admission
 * order; the {@link Sender} must not block. Futures are completed on the callback executor.
 */
public final class PendingCalls {

  /** Sends an admitted call's frame over the open connection. Called under the lock. */
  public interface Sender {
    /** What became of a send. */
    enum Outcome {
      /** The frame is on its way. */
      SENT,
      /** No connection is open; the call stays admitted and is sent on the next open. */
      NOT_OPEN,
      /** The call cannot go out on this connection; it fails with its {@code reject} reason. */
      REJECTED
    }

    /** Sends {@code call}, or reports that no connection is open. */
    Outcome send(PendingCall call);
  }

  /** Schedules timeouts; the client's shared scheduler, or a manual one in tests. */
  @FunctionalInterface
  public interface Timers {
    ScheduledFuture<?> schedule(Runnable task, Duration delay);
  }

  private final Object lock = new Object();
  private final Timers timers;
  private final Executor callbackExecutor;
  private final Sender sender;

  // All guarded by lock.
  private final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
  private final LinkedHashMap<String, PendingCall> admitted = new LinkedHashMap<>();
  private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();
  private int concurrency;
  private boolean open;
  private String closedReason;

  public PendingCalls(int concurrency, Timers timers, Executor callbackExecutor, Sender sender) {
    this.concurrency = concurrency;
    this.timers = timers;
    this.callbackExecutor = callbackExecutor;
    this.sender = sender;
  }

  /**
   * Adds a call: admits and maybe sends it at once, or queues it. If the registry is closed, the
   * call fails with {@link ClientClosedException}.
   */
  public void submit(PendingCall call) {
    String refused;
    synchronized (lock) {
      refused = closedReason;
      if (refused == null) {
        if (admitted.containsKey(call.messageId()) || queued(call.messageId())) {
          throw new IllegalArgumentException("message id " + call.messageId() + " is already pending");
        }
        queue.add(call);
        pump();
        return;
      }
      call.stage = Stage.DONE;
    }
    fail(call, new ClientClosedException(call + " was not sent: " + refused));
  }

  private boolean queued(String messageId) {
    for (PendingCall c : queue) {
      if (c.messageId().equals(messageId)) {
        return true;
      }
    }
    return false;
  }

  /** Admits queued calls while slots are free. Under lock. */
  private void pump() {
    while (admitted.size() < concurrency && !queue.isEmpty()) {
      PendingCall call = queue.poll();
      admitted.put(call.messageId(), call);
      call.stage = Stage.ADMITTED;
      call.timer = timers.schedule(() -> timedOut(call), call.timeout());
      if (open) {
        send(call);
      }
    }
  }

  private void send(PendingCall call) {
    switch (sender.send(call)) {
      case SENT -> {
        call.stage = Stage.SENT;
        call.sentAtNanos = System.nanoTime();
      }
      case NOT_OPEN -> {}
      case REJECTED -> {
        admitted.remove(call.messageId());
        finish(call);
        RuntimeException reason = call.rejection;
        callbackExecutor.execute(() -> call.answer().completeExceptionally(reason));
      }
    }
  }

  /** A connection opened: sends every admitted call that waited for one, in admission order. */
  public void opened() {
    synchronized (lock) {
      open = true;
      for (PendingCall call : new ArrayList<>(admitted.values())) {
        if (call.stage == Stage.ADMITTED) {
          send(call);
        }
      }
      pump();
    }
  }

  /**
   * The connection closed: calls already sent fail with {@link ConnectionClosedException}, since
   * their answer can no longer arrive; admitted but unsent calls keep their slot and timeout and
   * go out on the next open; queued calls stay queued.
   */
  public void connectionLost(int code, String reason) {
    List<PendingCall> lost = new ArrayList<>();
    synchronized (lock) {
      open = false;
      admitted.values().removeIf(
          call -> {
            if (call.stage != Stage.SENT) {
              return false;
            }
            finish(call);
            lost.add(call);
            return true;
          });
      pump();
    }
    for (PendingCall call : lost) {
      fail(call, new ConnectionClosedException(call.action(), call.messageId(), code, reason));
    }
  }

  /**
   * Removes the sent call that {@code messageId} answers and returns it, for the caller to
   * complete; null if no sent call has that id (unknown, late, or already timed out).
   */
  public PendingCall take(String messageId) {
    synchronized (lock) {
      PendingCall call = admitted.get(messageId);
      if (call == null || call.stage != Stage.SENT) {
        return null;
      }
      admitted.remove(messageId);
      finish(call);
      pump();
      return call;
    }
  }

  /**
   * Removes a call wherever it is, for cancellation; returns false if it was already gone. The
   * caller completes it.
   */
  public boolean remove(PendingCall call) {
    synchronized (lock) {
      boolean removed = admitted.remove(call.messageId(), call) || queue.remove(call);
      if (removed) {
        finish(call);
        pump();
      }
      return removed;
    }
  }

  private void timedOut(PendingCall call) {
    synchronized (lock) {
      if (!admitted.remove(call.messageId(), call)) {
        return; // answered or cancelled as the timer fired
      }
      finish(call);
      pump();
    }
    fail(call, new CallTimeoutException(call.action(), call.messageId(), call.timeout()));
  }

  /** Marks a removed call done and cancels its timer. Under lock. */
  private void finish(PendingCall call) {
    call.stage = Stage.DONE;
    if (call.timer != null) {
      call.timer.cancel(false);
      call.timer = null;
    }
    if (!idleWaiters.isEmpty() && noneSent()) {
      for (CompletableFuture<Void> w : idleWaiters) {
        callbackExecutor.execute(() -> w.complete(null));
      }
      idleWaiters.clear();
    }
  }

  private boolean noneSent() {
    for (PendingCall c : admitted.values()) {
      if (c.stage == Stage.SENT) {
        return false;
      }
    }
    return true;
  }

  /**
   * Removes every call not yet sent (queued, or admitted while no connection was open) and fails
   * each with the error {@code failure} makes for it. Calls already sent stay.
   */
  public void failUnsent(Function<PendingCall, Throwable> failure) {
    List<PendingCall> unsent = new ArrayList<>();
    synchronized (lock) {
      unsent.addAll(queue);
      queue.clear();
      admitted.values().removeIf(
          call -> {
            if (call.stage == Stage.SENT) {
              return false;
            }
            unsent.add(call);
            return true;
          });
      for (PendingCall call : unsent) {
        finish(call);
      }
    }
    for (PendingCall call : unsent) {
      fail(call, failure.apply(call));
    }
  }

  /**
   * Closes the registry: later submits fail with {@code reason}, and every call still in it
   * fails with the error {@code failure} makes for it.
   */
  public void close(String reason, Function<PendingCall, Throwable> failure) {
    List<PendingCall> all = new ArrayList<>();
    synchronized (lock) {
      closedReason = reason;
      open = false;
      all.addAll(admitted.values());
      all.addAll(queue);
      admitted.clear();
      queue.clear();
      for (PendingCall call : all) {
        finish(call);
      }
    }
    for (PendingCall call : all) {
      fail(call, failure.apply(call));
    }
  }

  /** Reopens a closed registry for a new {@code connect()}. */
  public void reopen() {
    synchronized (lock) {
      closedReason = null;
    }
  }

  /** Completes when no sent call awaits its answer (at once if none does). */
  public CompletableFuture<Void> whenNoneInFlight() {
    synchronized (lock) {
      if (noneSent()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> w = new CompletableFuture<>();
      idleWaiters.add(w);
      return w;
    }
  }

  /** Changes the in-flight limit; a larger one admits queued calls at once. */
  public void setConcurrency(int concurrency) {
    synchronized (lock) {
      this.concurrency = concurrency;
      pump();
    }
  }

  /** Calls holding an in-flight slot (sent or waiting for a connection). */
  public int inFlight() {
    synchronized (lock) {
      return admitted.size();
    }
  }

  /** Calls waiting for a slot. */
  public int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  private void fail(PendingCall call, Throwable error) {
    callbackExecutor.execute(() -> call.answer().completeExceptionally(error));
  }
}
