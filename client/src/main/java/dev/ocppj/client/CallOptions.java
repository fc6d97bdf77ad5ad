package dev.ocppj.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for one call.
 *
 * @param timeout how long to wait for the answer, counted from when the CALL is sent; null means
 *     the client's {@code callTimeout}
 * @param cancelToken a token that cancels the call; null for none
 */
public record CallOptions(Duration timeout, CancelToken cancelToken) {
  private static final CallOptions DEFAULTS = new CallOptions(null, null);

  public CallOptions {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** The client's defaults: its {@code callTimeout}, no cancel token. */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with another timeout. */
  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(Objects.requireNonNull(timeout, "timeout"), cancelToken);
  }

  /** A copy that the given token cancels. */
  public CallOptions withCancelToken(CancelToken cancelToken) {
    return new CallOptions(timeout, Objects.requireNonNull(cancelToken, "cancelToken"));
  }
}
