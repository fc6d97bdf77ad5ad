package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import dev.ocppj.testkit.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Strict mode in each direction, against a real peer. */
class StrictModeTest extends ClientTestBase {
  private final List<ValidationFailureEvent> failures = Collections.synchronizedList(new ArrayList<>());

  private OcppClient strict(OcppVersion version, String... methods) {
    csms.supportedProtocols(version.subprotocol());
    return connected(
        version,
        b ->
            b.strictMode(true)
                .strictModeMethods(methods)
                .listener(
                    new ClientListener() {
                      @Override
                      public void onStrictValidationFailure(ValidationFailureEvent event) {
                        failures.add(event);
                      }
                    }));
  }

  private void awaitFailures(int n) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() >= n);
  }

  @Test
  void anInvalidOutgoingCallFailsLocallyAndIsNotSent() {
    OcppClient c = strict(OcppVersion.V1_6);
    Throwable t =
        failure(c.call("BootNotification", Map.of("chargePointVendor", "x".repeat(21), "chargePointModel", "M")));
    assertThat(t).isInstanceOf(RpcException.FormatViolation.class);
    assertThat(t.getMessage())
        .contains("invalid BootNotification request: /chargePointVendor: ")
        .contains("[maxLength in v16/BootNotification.json]");
    csms.assertNoMoreFrames(Duration.ofMillis(150));
    assertNoPendingCalls(c);
    awaitFailures(1);
    assertThat(failures.get(0).phase()).isEqualTo(RpcPhase.OUTGOING_CALL);
    assertThat(failures.get(0).action()).isEqualTo("BootNotification");
    // A valid call still goes out.
    assertThat(get(c.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M")))).isNotNull();
  }

  @Test
  void anInvalidIncomingCallIsAnsweredWithTheMappedCodeSpelledForTheVersion() {
    OcppClient c16 = strict(OcppVersion.V1_6);
    c16.handle("Reset", call -> Map.of("status", "Accepted"));
    c16.handle("ChangeAvailability", call -> Map.of("status", "Accepted"));
    Frame missing = get(peer.call("ChangeAvailability", Map.of("connectorId", 1)));
    assertThat(missing.errorCode()).isEqualTo("OccurenceConstraintViolation");
    assertThat(missing.errorDescription()).contains("/type").contains("required");
    Frame badEnum = get(peer.call("Reset", Map.of("type", "Sideways")));
    assertThat(badEnum.errorCode()).isEqualTo("PropertyConstraintViolation");
    Frame badType = get(peer.call("ChangeAvailability", Map.of("connectorId", "one", "type", "Operative")));
    assertThat(badType.errorCode()).isEqualTo("TypeConstraintViolation");
    awaitFailures(3);
    assertThat(failures).allMatch(f -> f.phase() == RpcPhase.INCOMING_CALL);
  }

  @Test
  void the201CodesUseThe201Spellings() {
    OcppClient c = strict(OcppVersion.V2_0_1);
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    assertThat(get(peer.call("Reset", Map.of())).errorCode()).isEqualTo("OccurrenceConstraintViolation");
    assertThat(get(peer.call("Reset", Map.of("type", "Immediate", "evseId", "x".repeat(3)))).errorCode())
        .isEqualTo("TypeConstraintViolation");
  }

  @Test
  void anInvalidHandlerResultIsNotSentAndTheMappedErrorGoesInstead() {
    OcppClient c = strict(OcppVersion.V1_6);
    c.handle("Reset", call -> Map.of("status", "Perhaps"));
    Frame answer = get(peer.call("Reset", Map.of("type", "Soft")));
    assertThat(answer.messageType()).isEqualTo(4);
    assertThat(answer.errorCode()).isEqualTo("PropertyConstraintViolation");
    assertThat(answer.errorDescription()).startsWith("invalid Reset response: /status:");
    awaitFailures(1);
    assertThat(failures.get(0).phase()).isEqualTo(RpcPhase.OUTGOING_RESULT);
  }

  @Test
  void anInvalidIncomingResultFailsTheCallAndIsNotAnsweredBefore21() {
    csms.answer("Heartbeat", p -> Map.of("currentTime", "noon"));
    OcppClient c = strict(OcppVersion.V2_0_1);
    Throwable t = failure(c.call("Heartbeat", Map.of()));
    assertThat(t).isInstanceOf(RpcException.FormatViolation.class);
    assertThat(((RpcException) t).isRemote()).isFalse();
    assertThat(t.getMessage()).contains("invalid Heartbeat response: /currentTime:");
    csms.awaitCall("Heartbeat");
    csms.assertNoMoreFrames(Duration.ofMillis(150));
    awaitFailures(1);
    assertThat(failures.get(0).phase()).isEqualTo(RpcPhase.INCOMING_RESULT);
  }

  @Test
  void under21AnInvalidIncomingResultIsAnsweredWithACallResultError() {
    csms.answer("Heartbeat", p -> Map.of("currentTime", 12));
    OcppClient c = strict(OcppVersion.V2_1);
    Throwable t = failure(c.call("Heartbeat", Map.of()));
    assertThat(t).isInstanceOf(RpcException.TypeConstraintViolation.class);
    Frame call = csms.awaitCall("Heartbeat");
    Frame reply = csms.takeFrame();
    assertThat(reply.text()).startsWith("[5,\"" + call.messageId() + "\",\"TypeConstraintViolation\",\"invalid Heartbeat response: /currentTime:");
    assertThat(reply.array().get(4).toString()).isEqualTo("{}");
  }

  @Test
  void strictModeMethodsLimitWhatIsChecked() {
    OcppClient c = strict(OcppVersion.V1_6, "Authorize");
    // BootNotification is not listed: an invalid one goes out, and the CSMS decides.
    c.call("BootNotification", Map.of("chargePointVendor", "x".repeat(21), "chargePointModel", "M"));
    assertThat(csms.awaitCall("BootNotification")).isNotNull();
    assertThat(failure(c.call("Authorize", Map.of("idTag", "x".repeat(21)))))
        .isInstanceOf(RpcException.FormatViolation.class);
  }

  @Test
  void strictModeCanBeLimitedToSomeVersions() {
    csms.supportedProtocols("ocpp1.6");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.strictMode(OcppVersion.V2_0_1));
    c.call("BootNotification", Map.of("chargePointVendor", "x".repeat(21), "chargePointModel", "M"));
    assertThat(csms.awaitCall("BootNotification")).isNotNull();
    assertThat(c.options().isStrict(OcppVersion.V2_0_1, "BootNotification")).isTrue();
    assertThat(c.options().isStrict(OcppVersion.V1_6, "BootNotification")).isFalse();
  }

  @Test
  void offByDefault() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("Reset", call -> Map.of("status", "Perhaps"));
    assertThat(get(peer.call("Reset", Map.of("type", "Sideways"))).payload().get("status").asString())
        .isEqualTo("Perhaps");
    assertThat(c.options().strictMode()).isEmpty();
  }

  @Test
  void vendorActionsHaveNoSchemaAndPass() {
    OcppClient c = strict(OcppVersion.V2_0_1);
    assertThat(get(c.call("VendorSpecificThing", Map.of("anything", List.of(1, 2))))).isNotNull();
    assertThat(failures).isEmpty();
    assertThat(RpcErrorCode.FORMAT_VIOLATION.wireName(OcppVersion.V1_6)).isEqualTo("FormationViolation");
  }
}
