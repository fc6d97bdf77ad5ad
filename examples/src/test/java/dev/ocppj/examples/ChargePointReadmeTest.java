package dev.ocppj.examples;

// README user test begins
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.v201.*;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsmsExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChargePointReadmeTest {
  @RegisterExtension
  final TestCsmsExtension csms = TestCsmsExtension.perTest(); // 127.0.0.1, an ephemeral port

  @Test
  void bootsThenAcceptsAResetFromTheCsms() throws Exception {
    csms.get().answer("BootNotification", req -> Map.of(
        "status", "Accepted", "currentTime", "2026-01-01T00:00:00Z", "interval", 60));
    OcppClient cp = OcppClient.builder(csms.endpoint(), "CP042")
        .protocols(OcppVersion.V2_0_1).strictMode(true).build();
    cp.handle(Ocpp201.RESET, reset -> new ResetResponse(ResetStatusEnum.ACCEPTED));
    cp.connect().get(10, SECONDS);

    BootNotificationResponse boot = cp.call(new BootNotificationRequest(
        new ChargingStation("ModelY", "VendorX"), BootReasonEnum.POWER_UP)).get(10, SECONDS);
    assertThat(boot.interval()).isEqualTo(60);
    assertThat(csms.get().awaitCall("BootNotification").payload().path("reason").asString())
        .isEqualTo("PowerUp");

    Frame reset = csms.get().call("CP042", "Reset", Map.of("type", "Immediate")).get(10, SECONDS);
    assertThat(reset.payload().path("status").asString()).isEqualTo("Accepted");
    cp.close();
  }
}
// README user test ends
