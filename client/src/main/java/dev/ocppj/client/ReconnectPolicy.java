package dev.ocppj.client;

import dev.ocppj.client.internal.reconnect.Backoff;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before each reconnect attempt. A small interface, so a charge point can plug in
 * its own; two come built in: {@link #exponential} (the default, as ocpp-ws-io) and {@link
 * #ocpp201} (the OCPP 2.0.1 charging-station rule).
 *
 * <p>Called on the scheduler thread; must be quick and must not block.
 */
@FunctionalInterface
public interface ReconnectPolicy {
  /**
   * The wait before reconnect attempt {@code attempt} (1 for the first after a disconnect; the
   * count starts again after every successful open), or null to stop reconnecting.
   *
   * @param random the source of jitter (seeded in tests)
   */
  Duration delay(int attempt, RandomGenerator random);

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
