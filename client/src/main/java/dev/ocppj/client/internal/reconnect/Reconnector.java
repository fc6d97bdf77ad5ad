package dev.ocppj.client.internal.reconnect;

import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.ReconnectPolicy;
import dev.ocppj.client.ReconnectPolicy.Reason;
import dev.ocppj.client.internal.transport.WebSocketTransport.Failure;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The reconnect mechanism's decisions, apart from its timers: what kind of failure ended an
 * attempt, which ones end a first {@code connect()} at once, and the policy's delay for the next
 * attempt. One per client; its source of jitter is seeded per client and per process.
 */
public final class Reconnector {
  // HTTP answers that another attempt with the same credentials and URL cannot change at once.
  private static final Set<Integer> REFUSALS = Set.of(401, 403, 404);

  // java.util.Random: thread-safe, and each instance is seeded from a process-wide uniquifier
  // mixed with the clock, so two clients, or two processes, never share a sequence.
  private final RandomGenerator random;

  public Reconnector() {
    this(new Random());
  }

  /** With a given source of jitter, for tests. */
  public Reconnector(RandomGenerator random) {
    this.random = random;
  }

  /** The policy's reason for a connect attempt that failed with {@code failure}. */
  public static Reason reasonOf(Failure failure, boolean timedOut) {
    if (timedOut) {
      return Reason.TIMEOUT;
    }
    return switch (failure) {
      case HTTP_STATUS -> Reason.HTTP_STATUS;
      case SUBPROTOCOL -> Reason.SUBPROTOCOL;
      case TLS -> Reason.TLS;
      case LOCAL -> Reason.LOCAL;
      case NETWORK, ABORTED -> Reason.NETWORK;
    };
  }

  /**
   * True for a failure that retrying at once cannot fix: no or an unoffered subprotocol, HTTP
   * 401, 403 or 404 on the upgrade, a certificate rejected in the TLS handshake, an attempt that
   * could not start. It ends a first {@code connect()}; after an open, the policy decides.
   */
  public static boolean isRefusal(Reason reason, int httpStatus) {
    return switch (reason) {
      case SUBPROTOCOL, TLS, LOCAL -> true;
      case HTTP_STATUS -> REFUSALS.contains(httpStatus);
      case DISCONNECTED, NETWORK, TIMEOUT -> false;
    };
  }

  /**
   * The delay before attempt {@code number}, or null to stop: past {@code maxReconnects}, or
   * when the policy says so. Calls the policy, which is user code: never under a lock.
   *
   * @throws RuntimeException whatever the policy throws
   */
  public Duration next(
      ClientOptions options, int number, Reason reason, int httpStatus, int closeCode, Throwable error) {
    if (number > options.maxReconnects()) {
      return null;
    }
    ReconnectPolicy policy = options.effectiveReconnectPolicy();
    Duration delay =
        policy.delay(new ReconnectPolicy.Attempt(number, reason, httpStatus, closeCode, error, random));
    return delay == null || delay.isNegative() ? null : delay;
  }
}
