package dev.ocppj.client.internal.pending;

import dev.ocppj.client.CallOutcome;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.metrics.CallTracker;
import dev.ocppj.client.internal.runtime.OcppFuture;
import dev.ocppj.client.internal.runtime.Timers;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import tools.jackson.databind.JsonNode;

/**
 * One outgoing CALL from {@code call()} until it is answered, fails or is cancelled; it is its
 * own future. Whoever removes it from {@link PendingCalls} completes it, on the user executor,
 * and then cancels its timer: a call's timer is never cancelled before the call is done, so a
 * call whose completion is delayed still ends by its deadline.
 */
public final class PendingCall extends OcppFuture<JsonNode> {
  /** Where the call is. */
  enum Stage {
    /** Waiting unsent, behind {@code callConcurrency} or for a connection; its queue deadline runs. */
    QUEUED,
    /** Sent; waiting for the answer, its call timeout runs. */
    SENT,
    /** Out of the registry: answered, failed or cancelled (completion may still be on its way). */
    DONE
  }

  private final String messageId;
  private final String action;
  private final OcppVersion version;
  private final String frame;
  private final JsonNode params;
  private final Duration timeout;
  private final Duration queueTimeout;

  // Guarded by the PendingCalls lock.
  Stage stage = Stage.QUEUED;
  PendingCalls owner;
  long sentAtNanos;
  // Set by a Sender that refuses the call; read under the PendingCalls lock.
  RuntimeException rejection;
  // The queue deadline while QUEUED, the call timeout once SENT; cancelled once done.
  volatile ScheduledFuture<?> timer;
  // Null without a metrics hook; set before the call is submitted.
  private CallTracker tracker;

  /**
   * Creates a call.
   *
   * @param version the version the call was made for, or null for any; the sender checks it
   * @param frame the encoded CALL, ready to send
   * @param params the params the frame carries, for strict mode
   * @param timeout how long the sent call waits for its answer
   * @param queueTimeout how long it may wait unsent, counted from now
   */
  public PendingCall(
      String messageId,
      String action,
      OcppVersion version,
      String frame,
      JsonNode params,
      Duration timeout,
      Duration queueTimeout) {
    this.messageId = messageId;
    this.action = action;
    this.version = version;
    this.frame = frame;
    this.params = params;
    this.timeout = timeout;
    this.queueTimeout = queueTimeout;
  }

  /** The params the frame carries. */
  public JsonNode params() {
    return params;
  }

  public String messageId() {
    return messageId;
  }

  public String action() {
    return action;
  }

  /** The version the call was made for, or null if it fits any. */
  public OcppVersion version() {
    return version;
  }

  /** The encoded CALL frame. */
  public String frame() {
    return frame;
  }

  /** How long the sent call waits for its answer. */
  public Duration timeout() {
    return timeout;
  }

  /** How long the call may wait unsent. */
  public Duration queueTimeout() {
    return queueTimeout;
  }

  /** When the frame was sent ({@link System#nanoTime()}), for latency figures; 0 if not sent. */
  public long sentAtNanos() {
    return sentAtNanos;
  }

  /** Tracks the call for the metrics hook; before it is submitted. */
  public void track(CallTracker t) {
    this.tracker = t;
  }

  /** The call's metrics tracker; null without a hook. */
  public CallTracker tracker() {
    return tracker;
  }

  /** The call left the registry with {@code error} (null: answered); tells the hook, if any. */
  void ended(Throwable error) {
    CallTracker t = tracker;
    if (t != null) {
      t.end(error);
    }
  }

  /** Called by a {@link PendingCalls.Sender} that refuses to send this call, before it returns. */
  public void reject(RuntimeException reason) {
    this.rejection = reason;
  }

  /** Completes with the answer's payload, then cancels the timer. User executor. */
  public void finish(JsonNode payload) {
    complete(payload);
    Timers.cancel(timer);
  }

  /** Fails with {@code error}, then cancels the timer. User executor. */
  public void fail(Throwable error) {
    completeExceptionally(error);
    Timers.cancel(timer);
  }

  /** Cancelling the call takes it out of the registry: it is not sent, or its answer is dropped. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      CallTracker t = tracker;
      if (t != null) {
        t.end(CallOutcome.Kind.REJECTED, null);
      }
      PendingCalls o = owner;
      if (o != null) {
        o.cancelled(this);
      }
      Timers.cancel(timer);
    }
    return cancelled;
  }

  @Override
  public String toString() {
    return action + " (id " + messageId + ")";
  }
}
