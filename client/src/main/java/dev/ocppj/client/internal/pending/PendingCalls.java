package dev.ocppj.client.internal.pending;

import dev.ocppj.client.internal.metrics.CallTracker;
import dev.ocppj.client.internal.pending.PendingCall.Stage;
import dev.ocppj.client.rpc.CallQueueFullException;
import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The registry of a client's outgoing calls: message id to sent call, the {@code
 * callConcurrency} limit, the bounded FIFO queue of calls waiting to be sent, and the deadlines.
 *
 * <p>A call is <em>queued</em> until it can be sent: a connection is open and fewer than {@code
 * callConcurrency} calls are in flight. While queued, its deadline is {@code queueTimeout} from
 * {@code call()}; once sent, {@code callTimeout} from the send. So no call waits forever, and a
 * call made while the CSMS is away does not go out long after anyone cares. At most {@code
 * maxQueuedCalls} wait; the next call fails at once with {@link CallQueueFullException}.
 *
 * <p>Every method is thread-safe. Sends happen under the lock, which keeps frames in queue
 * order; the {@link Sender} must not block. Futures are completed on the user executor, never
 * under the lock; a call refused by {@link #submit} fails before it returns.
 */
public final class PendingCalls {

  /** Sends a call's frame over the open connection. Called under the lock; must not block. */
  public interface Sender {
    /** What became of a send. */
    enum Outcome {
      /** The frame is on its way. */
      SENT,
      /** No connection is open; the call stays queued and is sent on the next open. */
      NOT_OPEN,
      /** The call cannot go out on this connection; it fails with its {@code reject} reason. */
      REJECTED
    }

    /** Sends {@code call}, or reports that no connection is open. */
    Outcome send(PendingCall call);
  }

  /** Schedules deadlines; the client's timers, or a manual clock in tests. */
  @FunctionalInterface
  public interface Timers {
    /** Runs {@code task} after {@code delay}; null if nothing can be scheduled (closed). */
    ScheduledFuture<?> schedule(Runnable task, Duration delay);
  }

  private final Object lock = new Object();
  private final Timers timers;
  private final Executor userExecutor;
  private final Sender sender;

  // All guarded by lock.
  private final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
  private final HashMap<String, PendingCall> sent = new HashMap<>();
  private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();
  private int concurrency;
  private int maxQueued;
  // The offline queue: while no connection is open, up to offlineCapacity calls wait without a
  // deadline; their queue deadline starts at the next open. 0: off.
  private int offlineCapacity;
  private boolean dropOldest;
  private boolean open;
  private String closedReason;

  public PendingCalls(
      int concurrency, int maxQueued, Timers timers, Executor userExecutor, Sender sender) {
    this.concurrency = concurrency;
    this.maxQueued = maxQueued;
    this.timers = timers;
    this.userExecutor = userExecutor;
    this.sender = sender;
  }

  /**
   * Adds a call: sends it at once if it may go, else queues it. A call that cannot be taken (the
   * registry is closed, the queue is full, the sender refuses it) fails before this returns.
   */
  public void submit(PendingCall call) {
    RuntimeException refused = null;
    PendingCall dropped = null;
    synchronized (lock) {
      if (closedReason != null) {
        refused = new ClientClosedException(call + " was not sent: " + closedReason);
      } else {
        call.owner = this;
        if (open && queue.isEmpty() && sent.size() < concurrency) {
          switch (sender.send(call)) {
            case SENT -> {
              markSent(call);
              return;
            }
            case REJECTED -> refused = call.rejection;
            case NOT_OPEN -> {}
          }
        }
        if (refused == null && !open && offlineCapacity > 0) {
          if (queue.size() >= offlineCapacity) {
            if (!dropOldest) {
              refused = new CallQueueFullException(call.action(), offlineCapacity,
                  call.action() + " was not sent: the offline queue is full (" + offlineCapacity
                      + " calls wait for a connection)");
            } else {
              dropped = queue.pollFirst();
              dropped.stage = Stage.DONE;
            }
          }
          if (refused == null) {
            queue.add(call);
            call.stage = Stage.QUEUED; // no deadline while offline: it starts at the next open
          }
        } else if (refused == null) {
          if (queue.size() >= maxQueued) {
            refused = new CallQueueFullException(call.action(), maxQueued);
          } else {
            queue.add(call);
            call.stage = Stage.QUEUED;
            call.timer = timers.schedule(() -> queueExpired(call), call.queueTimeout());
            return;
          }
        }
      }
      if (refused != null) {
        call.stage = Stage.DONE;
      }
    }
    if (dropped != null) {
      // Failed outside the lock: the metrics hook hears of it on this thread.
      fail(dropped, new CallQueueFullException(dropped.action(), offlineCapacity,
          dropped + " was dropped unsent from the full offline queue (" + offlineCapacity
              + " calls) to make room for " + call));
    }
    if (refused != null) {
      // Not yet returned to the caller: nothing is chained on it, so failing here runs no user code.
      call.ended(refused);
      call.fail(refused);
    }
  }

  /** Takes a call that went out off the queue: its queue deadline ends, its call timeout starts. */
  private void markSent(PendingCall call) {
    call.stage = Stage.SENT;
    call.sentAtNanos = System.nanoTime();
    CallTracker t = call.tracker();
    if (t != null) {
      t.sent(call.sentAtNanos);
    }
    sent.put(call.messageId(), call);
    ScheduledFuture<?> queueDeadline = call.timer;
    call.timer = timers.schedule(() -> callExpired(call), call.timeout());
    if (queueDeadline != null) {
      queueDeadline.cancel(false);
    }
  }

  /** Sends queued calls while a connection is open and slots are free. Under lock. */
  private void pump(List<PendingCall> rejected) {
    while (open && sent.size() < concurrency && !queue.isEmpty()) {
      PendingCall call = queue.peekFirst();
      Sender.Outcome outcome = sender.send(call);
      if (outcome == Sender.Outcome.NOT_OPEN) {
        return;
      }
      queue.pollFirst();
      if (outcome == Sender.Outcome.SENT) {
        markSent(call);
      } else {
        call.stage = Stage.DONE;
        rejected.add(call);
      }
    }
  }

  private void pumpAndFail() {
    List<PendingCall> rejected = new ArrayList<>(0);
    synchronized (lock) {
      pump(rejected);
    }
    for (PendingCall call : rejected) {
      fail(call, call.rejection);
    }
  }

  /** A connection opened: sends queued calls, in order, as far as {@code callConcurrency} allows. */
  public void opened() {
    synchronized (lock) {
      open = true;
      for (PendingCall call : queue) {
        if (call.timer == null) {
          call.timer = timers.schedule(() -> queueExpired(call), call.queueTimeout());
        }
      }
    }
    pumpAndFail();
  }

  /**
   * Turns the offline queue on ({@code capacity} > 0) or off: while no connection is open, up to
   * {@code capacity} calls wait with no deadline; a call beyond it is refused, or, with {@code
   * dropOldest}, the oldest waiting call fails instead.
   */
  public void setOffline(int capacity, boolean dropOldest) {
    synchronized (lock) {
      this.offlineCapacity = capacity;
      this.dropOldest = dropOldest;
    }
  }

  /**
   * The connection closed: calls already sent fail with {@link ConnectionClosedException}, since
   * their answer can no longer arrive; queued calls stay queued, their deadlines running.
   */
  public void connectionLost(int code, String reason) {
    List<PendingCall> lost;
    synchronized (lock) {
      open = false;
      lost = new ArrayList<>(sent.values());
      sent.clear();
      if (offlineCapacity > 0) {
        // Offline: queued calls wait for the next open, however long the reconnecting takes.
        for (PendingCall call : queue) {
          ScheduledFuture<?> t = call.timer;
          call.timer = null;
          if (t != null) {
            t.cancel(false);
          }
        }
      }
      for (PendingCall call : lost) {
        call.stage = Stage.DONE;
      }
      notifyIdle();
    }
    for (PendingCall call : lost) {
      fail(call, new ConnectionClosedException(call.action(), call.messageId(), code, reason));
    }
  }

  /**
   * Removes the sent call that {@code messageId} answers and returns it, for the caller to
   * complete (which then cancels its timer); null if no sent call has that id (unknown, late,
   * cancelled or timed out). Sends the next queued call, if one waits.
   */
  public PendingCall take(String messageId) {
    PendingCall call;
    List<PendingCall> rejected = null;
    synchronized (lock) {
      call = sent.remove(messageId);
      if (call == null) {
        return null;
      }
      call.stage = Stage.DONE;
      if (!queue.isEmpty()) {
        rejected = new ArrayList<>(0);
        pump(rejected);
      }
      notifyIdle();
    }
    if (rejected != null) {
      for (PendingCall r : rejected) {
        fail(r, r.rejection);
      }
    }
    return call;
  }

  /** A cancelled call leaves the registry; its future is already done. */
  void cancelled(PendingCall call) {
    synchronized (lock) {
      if (call.stage == Stage.QUEUED) {
        queue.remove(call);
      } else if (call.stage == Stage.SENT) {
        sent.remove(call.messageId(), call);
        notifyIdle();
      }
      call.stage = Stage.DONE;
    }
    pumpAndFail();
  }

  private void queueExpired(PendingCall call) {
    synchronized (lock) {
      if (call.stage != Stage.QUEUED || !queue.remove(call)) {
        return; // sent, answered or cancelled as the deadline came
      }
      call.stage = Stage.DONE;
    }
    fail(call, new CallTimeoutException(call.action(), call.messageId(), call.queueTimeout(), false));
  }

  private void callExpired(PendingCall call) {
    synchronized (lock) {
      if (call.stage == Stage.SENT && sent.remove(call.messageId(), call)) {
        call.stage = Stage.DONE;
        notifyIdle();
      } else if (call.isDone()) {
        return;
      }
      // Else its answer was taken but not yet delivered: the deadline still holds.
    }
    pumpAndFail();
    fail(call, new CallTimeoutException(call.action(), call.messageId(), call.timeout()));
  }

  private void notifyIdle() {
    if (!idleWaiters.isEmpty() && sent.isEmpty()) {
      for (CompletableFuture<Void> w : idleWaiters) {
        userExecutor.execute(() -> w.complete(null));
      }
      idleWaiters.clear();
    }
  }

  /**
   * Removes every call not yet sent and fails each with the error {@code failure} makes for it.
   * Calls already sent stay.
   */
  public void failUnsent(Function<PendingCall, Throwable> failure) {
    List<PendingCall> unsent;
    synchronized (lock) {
      unsent = new ArrayList<>(queue);
      queue.clear();
      for (PendingCall call : unsent) {
        call.stage = Stage.DONE;
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
    List<PendingCall> all;
    synchronized (lock) {
      closedReason = reason;
      open = false;
      all = new ArrayList<>(sent.values());
      all.addAll(queue);
      sent.clear();
      queue.clear();
      for (PendingCall call : all) {
        call.stage = Stage.DONE;
      }
      notifyIdle();
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
      if (sent.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> w = new CompletableFuture<>();
      idleWaiters.add(w);
      return w;
    }
  }

  /** Changes the in-flight limit; a larger one sends queued calls at once. */
  public void setConcurrency(int concurrency) {
    synchronized (lock) {
      this.concurrency = concurrency;
    }
    pumpAndFail();
  }

  /** Changes the queue bound for calls made from now on; calls already queued stay. */
  public void setMaxQueued(int maxQueued) {
    synchronized (lock) {
      this.maxQueued = maxQueued;
    }
  }

  /** Calls sent and waiting for their answer. */
  public int inFlight() {
    synchronized (lock) {
      return sent.size();
    }
  }

  /** Calls waiting to be sent. */
  public int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Fails a call that left the registry; never under the lock (the metrics hook runs here). */
  private void fail(PendingCall call, Throwable error) {
    call.ended(error);
    userExecutor.execute(() -> call.fail(error));
  }
}
