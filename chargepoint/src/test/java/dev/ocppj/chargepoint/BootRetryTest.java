package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A boot the CSMS keeps Pending: retried at its interval, and stop() ends it at once. */
class BootRetryTest {
  @Test
  void aPendingBootIsRetriedAtTheIntervalAndStopEndsItWithoutWaitingForTheBootWait() throws Exception {
    try (TestCsms csms = TestCsms.start()) {
      AtomicInteger boots = new AtomicInteger();
      // Pending with a 1 s interval twice, then Pending with an hour: the station waits.
      csms.answer("BootNotification", req -> Map.of("status", "Pending", "currentTime", "2026-01-01T00:00:00Z",
          "interval", boots.incrementAndGet() < 3 ? 1 : 3600));
      OcppClient client = OcppClient.builder(csms.endpoint(), "CP-PENDING").protocols(OcppVersion.V1_6).build();
      ChargePoint cp = ChargePoint.create(client, StationProfile.builder("V", "M").build());
      var started = cp.start();
      csms.awaitCall("BootNotification");
      csms.awaitCall("BootNotification"); // retried after the interval
      csms.awaitCall("BootNotification");
      // Before: the stop step waited behind the start step until BOOT_WAIT (5 minutes) ran out.
      cp.stop().get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> started.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("the station was stopped");
      assertThat(client.state()).isEqualTo(dev.ocppj.client.ClientState.CLOSED);
      assertThat(boots.get()).isEqualTo(3);
    }
  }
}
