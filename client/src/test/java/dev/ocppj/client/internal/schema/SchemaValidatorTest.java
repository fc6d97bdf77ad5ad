package dev.ocppj.client.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.internal.schema.SchemaValidator.Violation;
import dev.ocppj.client.rpc.RpcErrorCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaValidatorTest {
  private static final String OCSP =
      "{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"a\",\"issuerKeyHash\":\"b\","
          + "\"serialNumber\":\"c\",\"responderURL\":\"http://r\"}";

  /** One row per keyword class: the code it maps to and where the violation is. */
  @ParameterizedTest(name = "{0} {1}: {5}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // version | action | role | payload | code | keyword | pointer
        "V1_6   | BootNotification   | REQUEST  | {\"chargePointModel\":\"m\"} | OCCURRENCE_CONSTRAINT_VIOLATION | required | /chargePointVendor",
        "V1_6   | BootNotification   | REQUEST  | {\"chargePointVendor\":\"123456789012345678901\",\"chargePointModel\":\"m\"} | FORMAT_VIOLATION | maxLength | /chargePointVendor",
        "V1_6   | BootNotification   | REQUEST  | {\"chargePointVendor\":5,\"chargePointModel\":\"m\"} | TYPE_CONSTRAINT_VIOLATION | type | /chargePointVendor",
        "V1_6   | BootNotification   | REQUEST  | {\"chargePointVendor\":\"v\",\"chargePointModel\":\"m\",\"extra\":1} | OCCURRENCE_CONSTRAINT_VIOLATION | additionalProperties | /extra",
        "V1_6   | StatusNotification | REQUEST  | {\"connectorId\":1,\"errorCode\":\"Bogus\",\"status\":\"Available\"} | PROPERTY_CONSTRAINT_VIOLATION | enum | /errorCode",
        "V1_6   | StatusNotification | REQUEST  | {\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\",\"timestamp\":\"yesterday\"} | FORMAT_VIOLATION | format | /timestamp",
        "V1_6   | BootNotification   | RESPONSE | {\"status\":\"Accepted\",\"currentTime\":\"2026-01-01T00:00:00Z\"} | OCCURRENCE_CONSTRAINT_VIOLATION | required | /interval",
        "V2_0_1 | GetVariables       | REQUEST  | {\"getVariableData\":[]} | OCCURRENCE_CONSTRAINT_VIOLATION | minItems | /getVariableData",
        "V2_0_1 | BootNotification   | REQUEST  | {\"reason\":\"PowerUp\",\"chargingStation\":{\"model\":\"m\"}} | OCCURRENCE_CONSTRAINT_VIOLATION | required | /chargingStation/vendorName",
        "V2_0_1 | BootNotification   | REQUEST  | {\"reason\":\"Sneezed\",\"chargingStation\":{\"model\":\"m\",\"vendorName\":\"v\"}} | PROPERTY_CONSTRAINT_VIOLATION | enum | /reason",
        "V2_0_1 | Heartbeat          | RESPONSE | {\"currentTime\":42} | TYPE_CONSTRAINT_VIOLATION | type | /currentTime",
        "V2_1   | AdjustPeriodicEventStream | REQUEST | {\"id\":-1,\"params\":{}} | FORMAT_VIOLATION | minimum | /id",
      })
  void mapsEachKeywordToItsCode(
      OcppVersion version, String action, Role role, String payload, RpcErrorCode code, String keyword, String pointer) {
    Optional<Violation> v =
        SchemaValidator.forVersion(version).validate(action, role, RpcCodec.mapper().readTree(payload));
    assertThat(v).isPresent();
    assertThat(v.get().code()).isEqualTo(code);
    assertThat(v.get().keyword()).isEqualTo(keyword);
    assertThat(v.get().pointer()).isEqualTo(pointer);
    assertThat(v.get().describe()).startsWith(pointer + ": ").contains("[" + keyword + " in ");
  }

  @Test
  void maxItemsAndMaximumAreChecked() {
    String five = "[" + String.join(",", OCSP, OCSP, OCSP, OCSP, OCSP) + "]";
    Violation tooMany =
        SchemaValidator.forVersion(OcppVersion.V2_0_1)
            .validate(
                "Authorize",
                Role.REQUEST,
                RpcCodec.mapper().readTree("{\"idToken\":{\"idToken\":\"x\",\"type\":\"Central\"},\"iso15118CertificateHashData\":" + five + "}"))
            .orElseThrow();
    assertThat(tooMany.keyword()).isEqualTo("maxItems");
    assertThat(tooMany.code()).isEqualTo(RpcErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION);
  }

  @Test
  void aPayloadThatIsNotAnObjectIsAFormatViolation() {
    Violation v =
        SchemaValidator.forVersion(OcppVersion.V2_0_1)
            .validate("Heartbeat", Role.REQUEST, RpcCodec.mapper().readTree("[1]"))
            .orElseThrow();
    assertThat(v.code()).isEqualTo(RpcErrorCode.FORMAT_VIOLATION);
    assertThat(v.pointer()).isEmpty();
  }

  @Test
  void validPayloadsAndVendorActionsPass() {
    SchemaValidator v16 = SchemaValidator.forVersion(OcppVersion.V1_6);
    assertThat(v16.validate("Heartbeat", Role.REQUEST, RpcCodec.mapper().readTree("{}"))).isEmpty();
    assertThat(v16.hasSchema("VendorThing", Role.REQUEST)).isFalse();
    assertThat(v16.validate("VendorThing", Role.REQUEST, RpcCodec.mapper().readTree("{\"x\":1}"))).isEmpty();
    assertThat(v16.hasSchema("SignCertificate", Role.REQUEST)).isTrue(); // the security extension
    assertThat(SchemaValidator.forVersion(OcppVersion.V2_1).hasSchema("NotifyPeriodicEventStream", Role.REQUEST)).isTrue();
  }

  @Test
  void oneValidatorPerVersionForTheWholeJvm() {
    assertThat(SchemaValidator.forVersion(OcppVersion.V2_0_1)).isSameAs(SchemaValidator.forVersion(OcppVersion.V2_0_1));
    assertThat(SchemaValidator.forVersion(OcppVersion.V2_0_1)).isNotSameAs(SchemaValidator.forVersion(OcppVersion.V2_1));
  }
}
