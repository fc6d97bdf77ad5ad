package dev.ocppj.client.internal.reconnect;

import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.internal.transport.WebSocketTransport.Failure;
import java.time.Duration;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Counts reconnect attempts and asks the policy for each delay. Not thread-safe: the session
 * calls it under its lock.
 */
public final class Reconnector {
  // HTTP answers that another attempt with the same credentials and URL cannot change.
  private static final Set<Integer> FATAL_STATUSES = Set.of(401, 403, 404);

  private final RandomGenerator random;
  private int attempt;

  public Reconnector(RandomGenerator random) {
    this.random = random;
  }

  /** A connection opened: the next outage counts from attempt 1 again. */
  public void opened() {
    attempt = 0;
  }

  /** Forgets the count, for a new {@code connect()}. */
  public void reset() {
    attempt = 0;
  }

  /** The number of the last attempt scheduled since the last open. */
  public int attempt() {
    return attempt;
  }

  /**
   * Counts the next attempt and returns its delay; null if {@code maxReconnects} attempts have
   * failed already or the policy gives up.
   */
  public Duration next(ClientOptions options) {
    if (attempt >= options.maxReconnects()) {
      return null;
    }
    attempt++;
    Duration delay = options.effectiveReconnectPolicy().delay(attempt, random);
    return delay == null || delay.isNegative() ? null : delay;
  }

  /**
   * True for a connect failure that retrying cannot fix: no or an unoffered subprotocol, HTTP
   * 401, 403 or 404 on the upgrade, a certificate rejected in the TLS handshake.
   */
  public static boolean isFatal(Failure failure, int httpStatus) {
    return switch (failure) {
      case SUBPROTOCOL, TLS -> true;
      case HTTP_STATUS -> FATAL_STATUSES.contains(httpStatus);
      case NETWORK, ABORTED -> false;
    };
  }
}
