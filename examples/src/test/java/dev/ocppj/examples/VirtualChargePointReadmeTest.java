package dev.ocppj.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.chargepoint.ChargePoint;
import dev.ocppj.chargepoint.IdToken;
import dev.ocppj.chargepoint.StationProfile;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.testkit.TestCsmsExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "virtual charge point in your JUnit test", verbatim between the markers. */
class VirtualChargePointReadmeTest {
  @RegisterExtension
  final TestCsmsExtension csms = TestCsmsExtension.perTest();

  @Test
  void theCsmsStopsASessionTheDriverStarted() throws Exception {
    // README virtual charge point begins
    OcppClient client = OcppClient.builder(csms.endpoint(), "CP042").protocols(OcppVersion.V1_6).build();
    try (ChargePoint cp = ChargePoint.create(client, StationProfile.builder("VendorX", "ModelY").connectors(2).build())) {
      cp.start().get(10, SECONDS);                             // BootNotification, a StatusNotification per connector
      cp.plugIn(1).get(10, SECONDS);                           // Preparing
      cp.presentToken(1, IdToken.iso14443()).get(10, SECONDS); // Authorize, StartTransaction, Charging
      var stop = csms.get().call("CP042", "RemoteStopTransaction", Map.of("transactionId", Long.parseLong(cp.transactionId(1))));
      assertThat(stop.get(10, SECONDS).payload().path("status").asString()).isEqualTo("Accepted");
      assertThat(csms.get().awaitCall("StopTransaction").payload().path("reason").asString()).isEqualTo("Remote");
    }
    // README virtual charge point ends
  }
}
