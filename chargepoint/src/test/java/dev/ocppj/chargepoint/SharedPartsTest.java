package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.testkit.TestCertificates;
import dev.ocppj.testkit.TestCsms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small shared parts: tokens, profiles, the local list and cache, the meter, certificates, CSRs. */
class SharedPartsTest {
  @TempDir Path dir;

  @Test
  void tokensAreValidForTheirType() {
    for (int i = 0; i < 100; i++) {
      IdToken card = IdToken.iso14443();
      assertThat(card.value()).matches("04[0-9A-F]{12}");
      assertThat(IdToken.isValid(card.value(), card.type())).isTrue();
      assertThat(IdToken.iso14443Short().value()).matches("[0-9A-F]{8}");
      assertThat(IdToken.iso15693().value()).matches("E0[0-9A-F]{14}");
    }
    assertThat(IdToken.iso14443(42).value()).isEqualTo("0400000000002A").hasSize(14);
    assertThat(IdToken.emaid(7).value()).matches("DE8AAC00000007[0-9A-Z]");
    assertThat(IdToken.isValid(IdToken.emaid(7).value(), IdToken.EMAID)).isTrue();
    assertThat(IdToken.isValid("TAG-1", IdToken.ISO14443)).isFalse(); // what a real CSMS rejected
    assertThatThrownBy(() -> IdToken.idTag("X".repeat(21))).hasMessageContaining("at most 20");
  }

  @Test
  void profilesReadFromJsonAndRefuseWhatIsWrong() {
    StationProfile p = StationProfile.fromJson(TestCsms.json("""
        {"vendor":"VendorX","model":"ModelY","serialNumber":"SN-9",
         "evses":[{"connectors":2,"maxPowerW":11000,"phases":3},{"connectors":1,"maxPowerW":7400,"phases":1}],
         "features":["Core","SmartCharging","local-auth-list-management"],"rebootDelay":"PT3S","stepDelay":0.5,
         "evBatteryWh":60000,"initialSoc":35}"""));
    assertThat(p.evses()).containsExactly(new StationProfile.Evse(2, 11_000, 3), new StationProfile.Evse(1, 7400, 1));
    assertThat(p.features()).containsExactlyInAnyOrder(Feature.CORE, Feature.SMART_CHARGING, Feature.LOCAL_AUTH_LIST_MANAGEMENT);
    assertThat(p.rebootDelay()).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.stepDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(p.initialSoc()).isEqualTo(35);
    assertThat(StationProfile.builder("V", "M").build().features())
        .doesNotContain(Feature.DER_CONTROL, Feature.BATTERY_SWAP).contains(Feature.SMART_CHARGING);

    assertThatThrownBy(() -> StationProfile.fromJson(TestCsms.json("{\"vendor\":\"V\",\"model\":\"M\",\"colour\":\"red\"}")))
        .hasMessageStartingWith("unknown station profile field \"colour\"");
    assertThatThrownBy(() -> StationProfile.fromJson(TestCsms.json("{\"model\":\"M\"}")))
        .hasMessage("a station profile needs a vendor");
    assertThatThrownBy(() -> StationProfile.fromJson(TestCsms.json("{\"vendor\":\"V\",\"model\":\"M\",\"features\":[\"Flying\"]}")))
        .hasMessageStartingWith("unknown feature \"Flying\"");
    assertThatThrownBy(() -> StationProfile.fromJson(TestCsms.json("{\"vendor\":\"V\",\"model\":\"M\",\"features\":[\"SmartCharging\"]}")))
        .hasMessageStartingWith("every station supports CORE");
    assertThatThrownBy(() -> StationProfile.fromJson(TestCsms.json("{\"vendor\":\"V\",\"model\":\"M\",\"rebootDelay\":\"soon\"}")))
        .hasMessage("station profile field \"rebootDelay\" is not a duration: \"soon\"");
  }

  @Test
  void localListVersionsAndTheBoundedCache() {
    LocalAuthorization auth = new LocalAuthorization(3, 2);
    var accepted = new LocalAuthorization.Entry("Accepted", null, null);
    assertThat(auth.update(true, 5, List.of(Map.entry("A", accepted), Map.entry("B", accepted)))).isEqualTo("Accepted");
    assertThat(auth.version()).isEqualTo(5);
    assertThat(auth.update(false, 5, List.of(Map.entry("C", accepted)))).isEqualTo("VersionMismatch");
    assertThat(auth.update(false, 6, List.of(Map.entry("C", accepted), Map.entry("D", accepted)))).isEqualTo("Failed");
    assertThat(auth.size()).isEqualTo(2);
    List<Map.Entry<String, LocalAuthorization.Entry>> removeA = new java.util.ArrayList<>();
    removeA.add(new java.util.AbstractMap.SimpleEntry<>("A", null));
    assertThat(auth.update(false, 6, removeA)).isEqualTo("Accepted");
    assertThat(auth.listEntry("A")).isNull();
    assertThat(new LocalAuthorization.Entry("Accepted", OffsetDateTime.now().minusDays(1), null).statusAt(OffsetDateTime.now()))
        .isEqualTo("Expired");

    auth.cache("X", accepted);
    auth.cache("Y", accepted);
    auth.cacheEntry("X"); // X is now the most recently used
    auth.cache("Z", accepted);
    assertThat(auth.cacheEntry("Y")).isNull();
    assertThat(auth.cacheSize()).isEqualTo(2);
  }

  @Test
  void theMeterCountsEnergyOverRealTimeWithinTheLimit() {
    StationProfile profile = StationProfile.builder("V", "M").evBattery(50_000, 79.99).build();
    Meter m = new Meter(profile.evses().get(0), profile, 1000);
    assertThat(m.energyWh()).isEqualTo(1000);
    m.drawing(true, 79.99);
    m.limitW(11_000);
    assertThat(m.powerW()).isEqualTo(11_000);
    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> m.energyWh() > 1000);
    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> m.soc() >= 80);
    assertThat(m.powerW()).isLessThan(11_000); // tapering above 80 %
    m.suspended(true);
    assertThat(m.powerW()).isZero();
    assertThat(m.ampsToWatts(16, 1)).isEqualTo(16 * 230);
  }

  @Test
  void certificatesAreParsedForRealAndHashedAsOcppSays() throws Exception {
    TestCertificates.create(dir);
    String ca = Files.readString(dir.resolve("ca.pem"));
    CertificateStore store = new CertificateStore(2);
    assertThat(store.install("CentralSystemRootCertificate", "not a certificate")).isEqualTo("Rejected");
    assertThat(store.install("CentralSystemRootCertificate", ca)).isEqualTo("Accepted");
    CertificateStore.Installed installed = store.installed(List.of()).get(0);
    assertThat(installed.hashAlgorithm()).isEqualTo("SHA256");
    assertThat(installed.issuerNameHash()).hasSize(64).isNotEqualTo(installed.issuerKeyHash());
    assertThat(store.installed(List.of("ManufacturerRootCertificate"))).isEmpty();
    assertThat(store.delete("SHA256", installed.issuerNameHash(), installed.issuerKeyHash(), "00" + installed.serialNumber()))
        .isEqualTo("Accepted");
    assertThat(store.delete("SHA256", installed.issuerNameHash(), installed.issuerKeyHash(), installed.serialNumber()))
        .isEqualTo("NotFound");
    assertThat(store.signed("ChargingStationCertificate", ca)).isEqualTo("Accepted");
    assertThat(store.signed("ChargingStationCertificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")).isEqualTo("Rejected");
  }

  @Test
  void theCsrIsAValidPkcs10Request() throws Exception {
    String pem = Csr.create("CP001", "Org, Inc");
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n").endsWith("-----END CERTIFICATE REQUEST-----\n");
    // Parsed and its signature checked by BouncyCastle (the test kit's dependency).
    try (var parser = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(pem))) {
      var request = (org.bouncycastle.pkcs.PKCS10CertificationRequest) parser.readObject();
      assertThat(request.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
          .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()) // an instance, not registered
          .build(request.getSubjectPublicKeyInfo()))).isTrue();
      assertThat(request.getSubject().toString()).contains("CN=CP001").contains("O=Org\\, Inc");
      assertThat(request.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.2");
    }
  }
}
