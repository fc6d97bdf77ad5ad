package dev.ocppj.client.internal.reconnect;

import dev.ocppj.client.ReconnectPolicy;
import dev.ocppj.client.ReconnectPolicy.Attempt;
import java.time.Duration;
import java.util.Objects;

/** The built-in {@link ReconnectPolicy} policies: pure functions of the attempt and the random. */
public final class Backoff {
  private Backoff() {}

  /** See {@link ReconnectPolicy#exponential}. */
  public static ReconnectPolicy exponential(Duration min, Duration max) {
    requirePositive(min, "backoffMin");
    requirePositive(max, "backoffMax");
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoffMax " + max + " must not be below backoffMin " + min);
    }
    long minNanos = min.toNanos();
    long maxNanos = max.toNanos();
    return new ReconnectPolicy() {
      @Override
      public Duration delay(Attempt a) {
        // 2^(attempt-1) overflows long nanos long before attempt 63; the cap applies anyway.
        double grown = minNanos * Math.pow(2, Math.min(a.number() - 1, 62));
        double jittered = grown * (0.5 + 0.5 * a.random().nextDouble());
        return Duration.ofNanos((long) Math.min(maxNanos, jittered));
      }

      @Override
      public String toString() {
        return "exponential(" + min + ".." + max + ")";
      }
    };
  }

  /** See {@link ReconnectPolicy#ocpp201}. */
  public static ReconnectPolicy ocpp201(Duration waitMinimum, int repeatTimes, Duration randomRange) {
    requirePositive(waitMinimum, "RetryBackOffWaitMinimum");
    Objects.requireNonNull(randomRange, "RetryBackOffRandomRange");
    if (randomRange.isNegative()) {
      throw new IllegalArgumentException("RetryBackOffRandomRange must not be negative: " + randomRange);
    }
    if (repeatTimes < 0 || repeatTimes > 30) {
      throw new IllegalArgumentException("RetryBackOffRepeatTimes must be 0 to 30: " + repeatTimes);
    }
    long base = waitMinimum.toNanos();
    long range = randomRange.toNanos();
    return new ReconnectPolicy() {
      @Override
      public Duration delay(Attempt a) {
        int doublings = Math.min(a.number() - 1, repeatTimes);
        long jitter = range == 0 ? 0 : (long) (a.random().nextDouble() * range);
        return Duration.ofNanos(Math.multiplyExact(base, 1L << doublings) + jitter);
      }

      @Override
      public String toString() {
        return "ocpp201(wait " + waitMinimum + ", repeat " + repeatTimes + ", random " + randomRange + ")";
      }
    };
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
