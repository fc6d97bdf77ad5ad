package dev.ocppj.client.internal.metrics;

import dev.ocppj.client.CallInfo;
import dev.ocppj.client.CallOutcome;
import dev.ocppj.client.CallOutcome.Kind;
import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.rpc.RpcException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One call as the metrics hook sees it, from its start to its single end: whichever part of the
 * client ends it first wins (a compare-and-set), later attempts are ignored, so a call whose
 * answer races its timeout is reported once. Only exists while a hook is set.
 */
public final class CallTracker {
  private static final AtomicIntegerFieldUpdater<CallTracker> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(CallTracker.class, "ended");

  private final Metrics metrics;
  private final CallInfo info;
  private final Object handle;
  private final long startNanos;
  // When the call left the queue: sent (outgoing) or handed to its handler (incoming); 0 before.
  private volatile long sentNanos;
  private volatile int ended;

  CallTracker(Metrics metrics, CallInfo info, Object handle, long startNanos) {
    this.metrics = metrics;
    this.info = info;
    this.handle = handle;
    this.startNanos = startNanos;
  }

  /** The call left its queue now (outgoing: written; incoming: its handler starts). */
  public void sent() {
    sent(System.nanoTime());
  }

  /** The call left its queue at {@code nanos} ({@link System#nanoTime()}). */
  public void sent(long nanos) {
    if (sentNanos == 0) {
      sentNanos = nanos;
    }
  }

  /** Ends the call with {@code kind} ({@code errorCode} for {@link Kind#ERROR}), unless it ended. */
  public void end(Kind kind, String errorCode) {
    if (!ENDED.compareAndSet(this, 0, 1)) {
      return;
    }
    long now = System.nanoTime();
    long sent = sentNanos;
    Duration queued = Duration.ofNanos((sent == 0 ? now : sent) - startNanos);
    metrics.ended(info, handle, new CallOutcome(kind, errorCode, queued, Duration.ofNanos(now - startNanos)));
  }

  /** Ends an outgoing call as its future completes: with a result ({@code error} null) or error. */
  public void end(Throwable error) {
    if (error instanceof RpcException rpc && rpc.isRemote()) {
      end(Kind.ERROR, rpc.wireCode());
    } else {
      end(kindOf(error), null);
    }
  }

  /** What a call's failure means for the metrics; a remote CALLERROR is {@link Kind#ERROR}. */
  static Kind kindOf(Throwable error) {
    if (error == null) {
      return Kind.RESULT;
    }
    if (error instanceof CallTimeoutException) {
      return Kind.TIMEOUT;
    }
    if (error instanceof ConnectionClosedException || error instanceof ClientClosedException) {
      return Kind.CLOSED;
    }
    if (error instanceof RpcException rpc && rpc.isRemote()) {
      return Kind.ERROR;
    }
    // Queue full, strict mode, a version mismatch, cancelled: refused before an answer could come.
    return Kind.REJECTED;
  }
}
