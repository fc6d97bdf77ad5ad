package dev.ocppj.client.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.codec.RpcCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RpcExceptionTest {

  @ParameterizedTest(name = "{0}: 1.6 {1}, 2.0.1 {2}")
  @CsvSource({
    "GENERIC_ERROR, GenericError, GenericError",
    "NOT_IMPLEMENTED, NotImplemented, NotImplemented",
    "NOT_SUPPORTED, NotSupported, NotSupported",
    "INTERNAL_ERROR, InternalError, InternalError",
    "PROTOCOL_ERROR, ProtocolError, ProtocolError",
    "SECURITY_ERROR, SecurityError, SecurityError",
    "FORMAT_VIOLATION, FormationViolation, FormatViolation",
    "PROPERTY_CONSTRAINT_VIOLATION, PropertyConstraintViolation, PropertyConstraintViolation",
    "OCCURRENCE_CONSTRAINT_VIOLATION, OccurenceConstraintViolation, OccurrenceConstraintViolation",
    "TYPE_CONSTRAINT_VIOLATION, TypeConstraintViolation, TypeConstraintViolation",
    "MESSAGE_TYPE_NOT_SUPPORTED, FormationViolation, MessageTypeNotSupported",
    "RPC_FRAMEWORK_ERROR, FormationViolation, RpcFrameworkError",
  })
  void eachVersionSpellsItsOwnCodes(RpcErrorCode code, String v16, String v201) {
    assertThat(code.wireName(OcppVersion.V1_6)).isEqualTo(v16);
    assertThat(code.wireName(OcppVersion.V2_0_1)).isEqualTo(v201);
    assertThat(code.wireName(OcppVersion.V2_1)).isEqualTo(v201);
  }

  @Test
  void onlyTwoCodesAreMissingFrom16() {
    for (RpcErrorCode c : RpcErrorCode.values()) {
      boolean missing =
          c == RpcErrorCode.MESSAGE_TYPE_NOT_SUPPORTED || c == RpcErrorCode.RPC_FRAMEWORK_ERROR;
      assertThat(c.existsIn(OcppVersion.V1_6)).as(c.name()).isEqualTo(!missing);
      assertThat(c.existsIn(OcppVersion.V2_0_1)).isTrue();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "FormationViolation, FORMAT_VIOLATION",
    "FormatViolation, FORMAT_VIOLATION",
    "OccurenceConstraintViolation, OCCURRENCE_CONSTRAINT_VIOLATION",
    "OccurrenceConstraintViolation, OCCURRENCE_CONSTRAINT_VIOLATION",
    "RpcFrameworkError, RPC_FRAMEWORK_ERROR",
  })
  void bothSpellingsAreUnderstoodInbound(String wire, RpcErrorCode code) {
    RpcException e = RpcException.fromWire(wire, "d", null, null);
    assertThat(e.code()).contains(code);
    assertThat(e.wireCode()).isEqualTo(wire);
    assertThat(e.isRemote()).isTrue();
  }

  @Test
  void fromWirePicksTheMatchingSubclass() {
    assertThat(RpcException.fromWire("NotImplemented", "", null, null))
        .isInstanceOf(RpcException.NotImplemented.class);
    assertThat(RpcException.fromWire("FormationViolation", "", null, null))
        .isInstanceOf(RpcException.FormatViolation.class);
    assertThat(RpcException.fromWire("OccurenceConstraintViolation", "", null, null))
        .isInstanceOf(RpcException.OccurrenceConstraintViolation.class);
  }

  @Test
  void anUnknownCodeIsKeptVerbatim() {
    RpcException e =
        RpcException.fromWire(
            "VendorSpecificError",
            "custom",
            RpcCodec.mapper().readTree("{\"a\":1}"),
            "DataTransfer (id 3) failed with CALLERROR");
    assertThat(e).isInstanceOf(RpcException.Unrecognized.class);
    assertThat(e.code()).isEmpty();
    assertThat(e.wireCode()).isEqualTo("VendorSpecificError");
    assertThat(e.details().get("a").intValue()).isEqualTo(1);
    assertThat(e.getMessage())
        .isEqualTo("DataTransfer (id 3) failed with CALLERROR VendorSpecificError: custom");
  }

  @ParameterizedTest
  @EnumSource(RpcErrorCode.class)
  void ofBuildsALocalErrorOfEveryCode(RpcErrorCode code) {
    RpcException e = RpcException.of(code, "why", null);
    assertThat(e.code()).contains(code);
    assertThat(e.isRemote()).isFalse();
    assertThat(e.details().isObject()).isTrue();
    assertThat(e.details().size()).isZero();
    assertThat(e.getMessage()).isEqualTo(code.wireName() + ": why");
  }

  @Test
  void descriptionsAreCappedAt255OnTheWire() {
    RpcException e = new RpcException.GenericError("x".repeat(300));
    assertThat(e.description()).hasSize(300);
    assertThat(e.wireDescription()).hasSize(255);
  }

  @Test
  void unknownTextIsNotACode() {
    assertThat(RpcErrorCode.fromWire("Nope")).isNull();
    assertThat(RpcErrorCode.fromWire(null)).isNull();
  }
}
