package dev.ocppj.chargepoint;

import dev.ocppj.client.CallErrorEvent;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.IncomingCall;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A station's own work, one step at a time in the order asked: events from code, and what the
 * CSMS's calls lead to. A step caused by a CSMS call starts only once the answer to that call
 * has been sent, as OCPP requires ("first the TriggerMessage response, then the requested
 * message"): the client reports an answer it sent (onCallResult / onCallError, direction OUT).
 * A step that fails is reported and the next one runs: one lost message never stalls a station.
 *
 * <p>The queue is bounded: a CSMS that floods the station with calls that have follow-ups (or
 * stops answering while timers keep queuing meter values) would otherwise grow it without end,
 * each step waiting a call timeout. Past {@link #MAX_PENDING} steps a new step is refused at once
 * (its future fails with {@link RejectedExecutionException}); the station answers the CSMS's
 * calls with a CALLERROR while full, as a real station's full command buffer would.
 */
final class Work implements ClientListener {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  /** Steps queued or running at most; about 1,000 call timeouts' worth of backlog. */
  static final int MAX_PENDING = 1_000;

  private final Duration replyWait;
  private final BiConsumer<String, Throwable> onFailure;
  // Steps waiting for the answer to a CSMS call to be sent, by that call's message id.
  private final Map<String, CompletableFuture<Void>> replies = new ConcurrentHashMap<>();
  private CompletableFuture<Void> tail = DONE; // guarded by this
  private int pending; // guarded by this
  int maxPending = MAX_PENDING; // lowered by tests only

  Work(Duration replyWait, BiConsumer<String, Throwable> onFailure) {
    this.replyWait = replyWait;
    this.onFailure = onFailure;
  }

  /**
   * Queues {@code step}; the returned future completes with it (failing as it failed). The
   * queue itself goes on after a failure.
   */
  CompletableFuture<Void> enqueue(String what, Supplier<? extends CompletableFuture<?>> step) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    synchronized (this) {
      if (pending >= maxPending) {
        return CompletableFuture.failedFuture(new RejectedExecutionException(
            what + " refused: " + pending + " steps of station work pending"));
      }
      pending++;
      tail = tail.thenCompose(v -> run(what, step))
          .handle((v, e) -> {
            synchronized (this) {
              pending--;
            }
            if (e == null) {
              result.complete(null);
            } else {
              Throwable cause = unwrap(e);
              result.completeExceptionally(cause);
            }
            return null;
          });
    }
    return result;
  }

  /**
   * Queues {@code step} to run once the answer to {@code call} has been sent; skips it if the
   * answer was a CALLERROR or never went out. A failure is reported to the listener.
   */
  void afterReply(IncomingCall call, String what, Supplier<? extends CompletableFuture<?>> step) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    replies.put(call.messageId(), sent);
    sent.whenComplete((v, e) -> replies.remove(call.messageId(), sent)); // also after its timeout
    enqueue(what, () -> sent
            .orTimeout(replyWait.toMillis(), TimeUnit.MILLISECONDS)
            .handle((v, e) -> e == null)
            .thenCompose(answered -> answered ? run(what, step) : DONE))
        .whenComplete((v, e) -> {
          if (e != null) {
            onFailure.accept(what, e);
          }
        });
  }

  /** Whether a new step would be refused. */
  synchronized boolean full() {
    return pending >= maxPending;
  }

  synchronized int pending() {
    return pending;
  }

  /** Completes once the steps queued so far, and any they queued, are done. */
  CompletableFuture<Void> idle() {
    CompletableFuture<Void> t;
    synchronized (this) {
      t = tail;
    }
    return t.thenCompose(v -> {
      synchronized (this) {
        return tail == t ? DONE : idle();
      }
    });
  }

  private static CompletableFuture<Void> run(String what, Supplier<? extends CompletableFuture<?>> step) {
    try {
      CompletableFuture<?> f = step.get();
      return f == null ? DONE : f.thenApply(x -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  @Override
  public void onCallResult(ResultEvent event) {
    CompletableFuture<Void> sent = event.direction() == Direction.OUT ? replies.remove(event.messageId()) : null;
    if (sent != null) {
      sent.complete(null);
    }
  }

  @Override
  public void onCallError(CallErrorEvent event) {
    CompletableFuture<Void> sent = event.direction() == Direction.OUT ? replies.remove(event.messageId()) : null;
    if (sent != null) {
      sent.completeExceptionally(new IllegalStateException("answered with a CALLERROR"));
    }
  }

  @Override
  public void onDisconnect(CloseEvent event) {
    dropReplies();
  }

  @Override
  public void onClose(CloseEvent event) {
    dropReplies();
  }

  private void dropReplies() {
    replies.values().forEach(r -> r.completeExceptionally(new IllegalStateException("closed before the answer was sent")));
    replies.clear();
  }
}
