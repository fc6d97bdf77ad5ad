package dev.ocppj.client;

import dev.ocppj.client.internal.reconnect.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before each reconnect attempt, and whether to go on at all. A small interface,
 * so a charge point can plug in its own; two come built in: {@link #exponential} (the default, as
 * ocpp-ws-io) and {@link #ocpp201} (the OCPP 2.0.1 charging-station rule). Neither gives up.
 *
 * <p>The policy decides every attempt after the client was open once: a refusal then (HTTP 401,
 * 403 or 404, a TLS failure, a missing subprotocol) is usually passing (a CSMS deploy, a rotated
 * certificate), so it is told what happened and may stop by returning null. Before the first
 * open, such refusals end the {@code connect()} at once (see {@code retryInitialConnect}).
 *
 * <p>Called on the scheduler thread, outside any lock; it must be quick and must not block. A
 * policy that throws stops the reconnecting, and the error is reported to {@code onError}.
 */
@FunctionalInterface
public interface ReconnectPolicy {
  /** The wait before {@code attempt}, or null to stop reconnecting (the client then closes). */
  Duration delay(Attempt attempt);

  /** Why the client is about to reconnect. */
  enum Reason {
    /** The open connection closed or dropped ({@link Attempt#closeCode()} says how). */
    DISCONNECTED,
    /** TCP could not connect, or the connection dropped during the handshake. */
    NETWORK,
    /** The attempt did not finish within {@code connectTimeout}. */
    TIMEOUT,
    /** The CSMS answered the upgrade with another HTTP status ({@link Attempt#httpStatus()}). */
    HTTP_STATUS,
    /** The TLS handshake failed: a certificate was rejected, on either side. */
    TLS,
    /** The CSMS selected no subprotocol, or one that was not offered. */
    SUBPROTOCOL,
    /** The attempt could not start here (no thread could be created, a broken TLS setup). */
    LOCAL
  }

  /**
   * One reconnect attempt about to be planned.
   *
   * @param number the attempt's number: 1 for the first after a drop; the count starts again
   *     only after a connection stayed open for {@code backoffResetAfter}, so a CSMS that accepts
   *     and closes at once gets ever longer waits
   * @param reason what ended the previous connection or attempt
   * @param httpStatus the HTTP status of a refused upgrade, else -1
   * @param closeCode the close code of a dropped connection, else -1
   * @param error the failure, if there was one, else null
   * @param random this client's source of jitter: seeded differently in every client and every
   *     process, so a fleet does not reconnect in step
   */
  record Attempt(
      int number, Reason reason, int httpStatus, int closeCode, Throwable error, RandomGenerator random) {
    public Attempt {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(random, "random");
      if (number < 1) {
        throw new IllegalArgumentException("number must be at least 1: " + number);
      }
    }
  }

  /**
   * {@code min(max, min * 2^(attempt-1) * U(0.5, 1))}: exponential growth from {@code min},
   * capped at {@code max}, with up to 50 % jitter so that a fleet does not reconnect in step.
   */
  static ReconnectPolicy exponential(Duration min, Duration max) {
    return Backoff.exponential(min, max);
  }

  /**
   * OCPP 2.0.1's rule for charging stations (Part 2 B10 / OCPP-J 5.3):
   * {@code RetryBackOffWaitMinimum * 2^min(n, RetryBackOffRepeatTimes) + U(0,
   * RetryBackOffRandomRange)}, where {@code n} is the number of attempts before this one; it never
   * gives up.
   */
  static ReconnectPolicy ocpp201(Duration waitMinimum, int repeatTimes, Duration randomRange) {
    return Backoff.ocpp201(waitMinimum, repeatTimes, randomRange);
  }
}
