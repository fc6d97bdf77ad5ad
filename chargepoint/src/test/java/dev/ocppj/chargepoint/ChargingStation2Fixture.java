package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A TestCsms and a strict-mode ChargingStation booted against it, for the 2.x tests. */
final class ChargingStation2Fixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String IDENTITY = "CS-2X";

  final TestCsms csms;
  final OcppClient client;
  final ChargingStation station;
  final List<String> failures = new CopyOnWriteArrayList<>();

  /** Two EVSEs: EVSE 1 with one connector, EVSE 2 with two; short reboot and step delays. */
  static StationProfile.Builder profile() {
    return StationProfile.builder("VendorX", "ModelY").serialNumber("SN-1")
        .evse(new StationProfile.Evse(1, 22_000, 3)).evse(new StationProfile.Evse(2, 11_000, 3))
        .with(Feature.DER_CONTROL).with(Feature.BATTERY_SWAP)
        .rebootDelay(Duration.ofMillis(500)).stepDelay(Duration.ofMillis(50));
  }

  ChargingStation2Fixture(OcppVersion version, StationProfile profile) {
    csms = TestCsms.start();
    client = OcppClient.builder(csms.endpoint(), IDENTITY).protocols(version).strictMode(true)
        .callTimeout(WAIT)
        .listener(new ClientListener() {
          @Override
          public void onStrictValidationFailure(ValidationFailureEvent event) {
            failures.add(event.toString());
          }
        })
        .build();
    station = ChargingStation.create(client, profile);
    station.addListener(new StationListener() {
      @Override
      public void onFailure(String what, Throwable error) {
        failures.add(what + ": " + error);
      }
    });
  }

  /** Starts the station and takes its boot and first status notifications. */
  ChargingStation2Fixture boot() throws Exception {
    station.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    csms.awaitCall("BootNotification");
    for (int i = 0; i < 3; i++) {
      csms.awaitCall("StatusNotification");
    }
    return this;
  }

  Frame call(String action, Object params) throws Exception {
    return csms.call(IDENTITY, action, params).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  void idle() throws Exception {
    station.idle().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  void assertNoFailures() {
    assertThat(failures).as("strict validation failures and failed follow-ups").isEmpty();
  }

  /** The test kit's CA certificate (made in-process, no keytool), as PEM text. */
  static String certificatePem(java.nio.file.Path dir) throws Exception {
    dev.ocppj.testkit.TestCertificates.create(dir);
    return java.nio.file.Files.readString(dir.resolve("ca.pem")).trim().replace("\r", "");
  }

  @Override
  public void close() {
    try {
      station.close();
    } finally {
      csms.close();
    }
  }
}
