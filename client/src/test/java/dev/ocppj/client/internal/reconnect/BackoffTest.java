package dev.ocppj.client.internal.reconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.ReconnectPolicy;
import dev.ocppj.client.ReconnectPolicy.Reason;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  /** A "random" that always returns the same fraction, to pin the formula down. */
  private static RandomGenerator fixed(double fraction) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return fraction;
      }
    };
  }

  @Test
  void exponentialDoublesFromMinWithUpToHalfJitterAndCapsAtMax() {
    ReconnectPolicy p = ReconnectPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
    // U(0.5, 1) at its top: min * 2^(n-1).
    assertThat(p.delay(attempt(1, fixed(1.0)))).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delay(attempt(2, fixed(1.0)))).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delay(attempt(5, fixed(1.0)))).isEqualTo(Duration.ofSeconds(16));
    assertThat(p.delay(attempt(6, fixed(1.0)))).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.delay(attempt(1000, fixed(1.0)))).isEqualTo(Duration.ofSeconds(30));
    // At its bottom: half of that.
    assertThat(p.delay(attempt(1, fixed(0.0)))).isEqualTo(Duration.ofMillis(500));
    assertThat(p.delay(attempt(4, fixed(0.0)))).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void exponentialStaysInsideItsBoundsForAnyRandom() {
    ReconnectPolicy p = ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));
    SplittableRandom random = new SplittableRandom(42);
    for (int attempt = 1; attempt <= 40; attempt++) {
      for (int i = 0; i < 200; i++) {
        Duration d = p.delay(attempt(attempt, random));
        double ceiling = Math.min(5000, 100 * Math.pow(2, attempt - 1));
        assertThat(d.toNanos() / 1e6).isBetween(Math.min(ceiling / 2, 5000) - 1e-6, ceiling + 1e-6);
      }
    }
  }

  @Test
  void ocpp201WaitsMinimumTimesTwoToTheCappedAttemptsPlusRandomRange() {
    ReconnectPolicy p =
        ReconnectPolicy.ocpp201(Duration.ofSeconds(10), 3, Duration.ofSeconds(4));
    // n = attempts before this one: 10 * 2^min(n, 3) + U(0, 4).
    assertThat(p.delay(attempt(1, fixed(0.0)))).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.delay(attempt(2, fixed(0.0)))).isEqualTo(Duration.ofSeconds(20));
    assertThat(p.delay(attempt(3, fixed(0.0)))).isEqualTo(Duration.ofSeconds(40));
    assertThat(p.delay(attempt(4, fixed(0.0)))).isEqualTo(Duration.ofSeconds(80));
    assertThat(p.delay(attempt(5, fixed(0.0)))).isEqualTo(Duration.ofSeconds(80));
    assertThat(p.delay(attempt(500, fixed(0.5)))).isEqualTo(Duration.ofSeconds(82));
    assertThat(p.delay(attempt(1, fixed(0.999)))).isLessThan(Duration.ofSeconds(14));
  }

  @Test
  void ocpp201NeverGivesUp() {
    ReconnectPolicy p = ReconnectPolicy.ocpp201(Duration.ofSeconds(1), 30, Duration.ZERO);
    assertThat(p.delay(attempt(Integer.MAX_VALUE, fixed(0)))).isEqualTo(Duration.ofSeconds(1L << 30));
  }

  @Test
  void invalidPoliciesFailWithTheirName() {
    assertThatThrownBy(() -> ReconnectPolicy.exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("backoffMin must be positive: PT0S");
    assertThatThrownBy(() -> ReconnectPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("backoffMax PT1S must not be below backoffMin PT2S");
    assertThatThrownBy(() -> ReconnectPolicy.ocpp201(Duration.ofSeconds(1), -1, Duration.ZERO))
        .hasMessage("RetryBackOffRepeatTimes must be 0 to 30: -1");
    assertThatThrownBy(() -> ReconnectPolicy.ocpp201(Duration.ofSeconds(1), 1, Duration.ofSeconds(-1)))
        .hasMessage("RetryBackOffRandomRange must not be negative: PT-1S");
  }

  @Test
  void theReconnectorAsksThePolicyUntilMaxReconnects() {
    var options =
        dev.ocppj.client.OcppClient.builder(java.net.URI.create("ws://127.0.0.1:1/ocpp"), "CP")
            .protocols(dev.ocppj.client.OcppVersion.V1_6)
            .maxReconnects(2)
            .reconnectPolicy(a -> Duration.ofMillis(a.number()))
            .build()
            .options();
    Reconnector r = new Reconnector(new SplittableRandom(1));
    assertThat(r.next(options, 1, Reason.NETWORK, -1, -1, null)).isEqualTo(Duration.ofMillis(1));
    assertThat(r.next(options, 2, Reason.NETWORK, -1, -1, null)).isEqualTo(Duration.ofMillis(2));
    assertThat(r.next(options, 3, Reason.NETWORK, -1, -1, null)).isNull();
  }

  @Test
  void thePolicyHearsWhatEndedTheConnectionAndMayStop() {
    List<ReconnectPolicy.Attempt> heard = new ArrayList<>();
    var options =
        dev.ocppj.client.OcppClient.builder(java.net.URI.create("ws://127.0.0.1:1/ocpp"), "CP")
            .protocols(dev.ocppj.client.OcppVersion.V1_6)
            .reconnectPolicy(
                a -> {
                  heard.add(a);
                  return a.httpStatus() == 403 ? null : Duration.ofSeconds(1);
                })
            .build()
            .options();
    Reconnector r = new Reconnector(new SplittableRandom(1));
    assertThat(r.next(options, 1, Reason.HTTP_STATUS, 401, -1, null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.next(options, 2, Reason.HTTP_STATUS, 403, -1, null)).isNull();
    assertThat(heard).extracting(ReconnectPolicy.Attempt::reason).containsExactly(Reason.HTTP_STATUS, Reason.HTTP_STATUS);
    assertThat(heard).extracting(ReconnectPolicy.Attempt::httpStatus).containsExactly(401, 403);
  }

  @Test
  void onlyRefusalsEndAFirstConnect() {
    assertThat(Reconnector.isRefusal(Reason.SUBPROTOCOL, -1)).isTrue();
    assertThat(Reconnector.isRefusal(Reason.TLS, -1)).isTrue();
    assertThat(Reconnector.isRefusal(Reason.LOCAL, -1)).isTrue();
    for (int status : new int[] {401, 403, 404}) {
      assertThat(Reconnector.isRefusal(Reason.HTTP_STATUS, status)).isTrue();
    }
    for (int status : new int[] {400, 500, 502, 503}) {
      assertThat(Reconnector.isRefusal(Reason.HTTP_STATUS, status)).isFalse();
    }
    assertThat(Reconnector.isRefusal(Reason.NETWORK, -1)).isFalse();
    assertThat(Reconnector.isRefusal(Reason.TIMEOUT, -1)).isFalse();
    assertThat(Reconnector.isRefusal(Reason.DISCONNECTED, -1)).isFalse();
  }

  private static ReconnectPolicy.Attempt attempt(int number, RandomGenerator random) {
    return new ReconnectPolicy.Attempt(number, Reason.DISCONNECTED, -1, 1006, null, random);
  }
}
