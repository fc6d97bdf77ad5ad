package dev.ocppj.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for one call, made from {@link #defaults()} with the {@code with...} methods. Immutable.
 */
public final class CallOptions {
  private static final CallOptions DEFAULTS = new CallOptions(null, null, null);

  private final Duration timeout;
  private final Duration queueTimeout;
  private final CancelToken cancelToken;

  private CallOptions(Duration timeout, Duration queueTimeout, CancelToken cancelToken) {
    this.timeout = timeout;
    this.queueTimeout = queueTimeout;
    this.cancelToken = cancelToken;
  }

  /** The client's defaults: its {@code callTimeout} and {@code queueTimeout}, no cancel token. */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  /**
   * How long to wait for the answer, counted from when the CALL is sent; null means the client's
   * {@code callTimeout}.
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * How long the call may wait unsent (for a free {@code callConcurrency} slot or a connection),
   * counted from {@code call()}; null means the client's {@code queueTimeout}.
   */
  public Duration queueTimeout() {
    return queueTimeout;
  }

  /** The token that cancels the call; null for none. */
  public CancelToken cancelToken() {
    return cancelToken;
  }

  /** A copy with another timeout (positive). */
  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(positive(timeout, "timeout"), queueTimeout, cancelToken);
  }

  /** A copy with another queue timeout (positive). */
  public CallOptions withQueueTimeout(Duration queueTimeout) {
    return new CallOptions(timeout, positive(queueTimeout, "queueTimeout"), cancelToken);
  }

  /** A copy that the given token cancels. */
  public CallOptions withCancelToken(CancelToken cancelToken) {
    return new CallOptions(timeout, queueTimeout, Objects.requireNonNull(cancelToken, "cancelToken"));
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "CallOptions{timeout=" + (timeout == null ? "default" : timeout)
        + ", queueTimeout=" + (queueTimeout == null ? "default" : queueTimeout)
        + ", cancelToken=" + (cancelToken == null ? "none" : "set") + "}";
  }
}
