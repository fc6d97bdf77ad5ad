package dev.ocppj.examples.simulator;

import dev.ocppj.client.CallErrorEvent;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.IncomingCall;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The work a charge point does because the CSMS asked (a remote start, a reset, a triggered
 * message): one task at a time, each only once the answer to the CSMS's call has been sent, as
 * OCPP requires ("first the TriggerMessage response, then the requested message"). The client
 * reports an answer it sent (onCallResult / onCallError, direction OUT) once it is on its way.
 */
final class WorkQueue implements ClientListener {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Duration replyWait;
  private final Consumer<String> onFailure;
  // Work waiting for the answer to a CSMS call to be sent, by that call's message id.
  private final Map<String, CompletableFuture<Void>> replies = new ConcurrentHashMap<>();
  private CompletableFuture<Void> work = DONE; // guarded by this

  WorkQueue(Duration replyWait, Consumer<String> onFailure) {
    this.replyWait = replyWait;
    this.onFailure = onFailure;
  }

  /**
   * Runs {@code task} once the answer to {@code call} has been sent; skips it if the answer was
   * a CALLERROR or never went out. A task that fails reports why to the charge point.
   */
  void afterReply(IncomingCall call, String what, Supplier<CompletableFuture<?>> task) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    replies.put(call.messageId(), sent);
    Supplier<CompletableFuture<Void>> gated = () -> sent
        .orTimeout(replyWait.toMillis(), TimeUnit.MILLISECONDS)
        .handle((v, e) -> e == null)
        .thenCompose(answered -> answered ? task.get().thenApply(x -> (Void) null) : DONE);
    synchronized (this) {
      work = work.thenCompose(v -> Failure.step(what, gated))
          .handle((v, e) -> {
            if (e != null) {
              onFailure.accept(Failure.of(what, e).getMessage());
            }
            return null;
          });
    }
  }

  /** Completes once the work asked for so far, and any it led to, is done. */
  CompletableFuture<Void> idle() {
    CompletableFuture<Void> w;
    synchronized (this) {
      w = work;
    }
    return w.thenCompose(v -> {
      synchronized (this) {
        return work == w ? DONE : idle();
      }
    });
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
      sent.completeExceptionally(new Failure("answered with a CALLERROR"));
    }
  }

  @Override
  public void onClose(CloseEvent event) {
    replies.values().forEach(r -> r.completeExceptionally(new Failure("closed before the answer was sent")));
    replies.clear();
  }
}
