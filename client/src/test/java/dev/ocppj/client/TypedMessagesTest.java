package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import dev.ocppj.client.v16.BootNotificationRequest;
import dev.ocppj.client.v16.BootNotificationResponse;
import dev.ocppj.client.v16.MeterValue;
import dev.ocppj.client.v16.MeterValuesRequest;
import dev.ocppj.client.v16.Measurand;
import dev.ocppj.client.v16.Ocpp16;
import dev.ocppj.client.v16.RegistrationStatus;
import dev.ocppj.client.v16.SampledValue;
import dev.ocppj.client.v16.UnitOfMeasure;
import dev.ocppj.client.v201.BootReasonEnum;
import dev.ocppj.client.v201.ChargingStation;
import dev.ocppj.client.v201.CustomData;
import dev.ocppj.client.v201.Modem;
import dev.ocppj.client.v201.Ocpp201;
import dev.ocppj.client.v201.ResetEnum;
import dev.ocppj.client.v201.ResetResponse;
import dev.ocppj.client.v201.ResetStatusEnum;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The generated message classes on the wire, through the typed API. */
class TypedMessagesTest extends ClientTestBase {

  @Test
  void aTypedCallReturnsTheTypedResponse() {
    OcppClient c = connected(OcppVersion.V1_6);
    BootNotificationResponse boot =
        get(c.call(Ocpp16.BOOT_NOTIFICATION, new BootNotificationRequest("VendorX", "ModelY")));
    assertThat(boot.status()).isEqualTo(RegistrationStatus.ACCEPTED);
    assertThat(boot.interval()).isEqualTo(300);
    assertThat(boot.currentTime()).isNotNull();
    assertThat(csms.awaitCall("BootNotification").payload().toString())
        .isEqualTo("{\"chargePointVendor\":\"VendorX\",\"chargePointModel\":\"ModelY\"}");
  }

  @Test
  void aGeneratedRequestKnowsItsActionAndResponse() {
    OcppClient c = connected(OcppVersion.V1_6);
    BootNotificationRequest request =
        new BootNotificationRequest("VendorX", "ModelY").firmwareVersion("1.2.3");
    assertThat(request.ocppAction()).isSameAs(Ocpp16.BOOT_NOTIFICATION);
    BootNotificationResponse boot = get(c.call(request));
    assertThat(boot.status()).isEqualTo(RegistrationStatus.ACCEPTED);
  }

  @Test
  void integersGoOutAsIntegersAndUnsetFieldsAreOmitted() {
    BootNotificationResponse r =
        new BootNotificationResponse(
            RegistrationStatus.ACCEPTED, OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), 300);
    assertThat(RpcCodec.mapper().writeValueAsString(r))
        .isEqualTo("{\"status\":\"Accepted\",\"currentTime\":\"2026-01-02T03:04:05Z\",\"interval\":300}");
    MeterValuesRequest m =
        new MeterValuesRequest()
            .connectorId(1)
            .meterValue(
                new MeterValue()
                    .timestamp(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)))
                    .sampledValue(
                        new SampledValue("12.5")
                            .measurand(Measurand.ENERGY_ACTIVE_IMPORT_REGISTER)
                            .unit(UnitOfMeasure.K_WH)));
    assertThat(RpcCodec.mapper().writeValueAsString(m))
        .isEqualTo(
            "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-01-02T03:04:05+02:00\","
                + "\"sampledValue\":[{\"value\":\"12.5\",\"measurand\":\"Energy.Active.Import.Register\","
                + "\"unit\":\"kWh\"}]}]}");
  }

  @Test
  void timestampsKeepTheirOffsetOnTheWayBack() {
    JsonNode json =
        TestCsms.json(
            "{\"timestamp\":\"2026-01-02T03:04:05.123+02:00\",\"sampledValue\":[{\"value\":\"1\"}]}");
    MeterValue v = RpcCodec.mapper().treeToValue(json, MeterValue.class);
    assertThat(v.timestamp()).isEqualTo(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 123_000_000, ZoneOffset.ofHours(2)));
    assertThat((JsonNode) RpcCodec.mapper().valueToTree(v)).isEqualTo(json);
  }

  @Test
  void nested201MessagesAreBuiltFluently() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    dev.ocppj.client.v201.BootNotificationResponse boot =
        get(
            c.call(
                new dev.ocppj.client.v201.BootNotificationRequest(
                    new ChargingStation("ModelY", "VendorX")
                        .firmwareVersion("2.0")
                        .modem(new Modem().iccid("8931")),
                    BootReasonEnum.POWER_UP)));
    assertThat(boot.status()).isEqualTo(dev.ocppj.client.v201.RegistrationStatusEnum.ACCEPTED);
    assertThat(csms.awaitCall("BootNotification").payload().toString())
        .isEqualTo(
            "{\"chargingStation\":{\"model\":\"ModelY\",\"modem\":{\"iccid\":\"8931\"},"
                + "\"vendorName\":\"VendorX\",\"firmwareVersion\":\"2.0\"},\"reason\":\"PowerUp\"}");
  }

  @Test
  void customDataVendorFieldsSurviveARoundTrip() {
    JsonNode json =
        TestCsms.json(
            "{\"customData\":{\"vendorId\":\"com.example\",\"color\":\"blue\",\"nested\":{\"n\":[1,2]}},"
                + "\"type\":\"Immediate\"}");
    dev.ocppj.client.v201.ResetRequest r =
        RpcCodec.mapper().treeToValue(json, dev.ocppj.client.v201.ResetRequest.class);
    assertThat(r.customData().vendorId()).isEqualTo("com.example");
    assertThat(r.customData().additionalProperties()).containsKeys("color", "nested");
    assertThat((JsonNode) RpcCodec.mapper().valueToTree(r)).isEqualTo(json);
    CustomData built =
        new CustomData("com.example").additionalProperty("color", JsonNodeFactory.instance.stringNode("blue"));
    assertThat(RpcCodec.mapper().writeValueAsString(built))
        .isEqualTo("{\"vendorId\":\"com.example\",\"color\":\"blue\"}");
  }

  @Test
  void aTypedHandlerGetsTheTypedRequestAndReturnsTheTypedResponse() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    c.handle(
        Ocpp201.RESET,
        req ->
            new ResetResponse(
                req.type() == ResetEnum.IMMEDIATE ? ResetStatusEnum.ACCEPTED : ResetStatusEnum.SCHEDULED));
    assertThat(get(peer.call("Reset", Map.of("type", "Immediate"))).text())
        .endsWith(",{\"status\":\"Accepted\"}]");
    assertThat(get(peer.call("Reset", Map.of("type", "OnIdle"))).payload().get("status").asString())
        .isEqualTo("Scheduled");
  }

  @Test
  void aTypedHandlerAnswersPayloadsThatDoNotFitWithTheMatchingCallError() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    c.handle(Ocpp201.RESET, req -> new ResetResponse(ResetStatusEnum.ACCEPTED));
    Frame badEnum = get(peer.call("Reset", Map.of("type", "Sideways")));
    assertThat(badEnum.errorCode()).isEqualTo("PropertyConstraintViolation");
    assertThat(badEnum.errorDescription()).contains("Sideways");
    Frame badType = get(peer.call("Reset", Map.of("type", Map.of("x", 1))));
    assertThat(badType.errorCode()).isEqualTo("TypeConstraintViolation");
    Frame badTime =
        get(peer.call("Reset", Map.of("type", "Immediate", "evseId", "not-a-number")));
    assertThat(badTime.errorCode()).isEqualTo("TypeConstraintViolation");
  }

  @Test
  void aMissingRequiredPropertyIsAnOccurrenceViolationWithoutStrictMode() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    List<Object> handled = java.util.Collections.synchronizedList(new ArrayList<>());
    c.handle(Ocpp201.RESET, req -> {
      handled.add(req.type());
      return new ResetResponse(ResetStatusEnum.ACCEPTED);
    });
    Frame missing = get(peer.call("Reset", Map.of()));
    assertThat(missing.errorCode()).isEqualTo("OccurrenceConstraintViolation");
    assertThat(missing.errorDescription()).endsWith("the required property type is missing");
    c.handle(Ocpp201.SET_CHARGING_PROFILE, req -> {
      handled.add(req);
      return new dev.ocppj.client.v201.SetChargingProfileResponse(dev.ocppj.client.v201.ChargingProfileStatusEnum.ACCEPTED);
    });
    Frame nested =
        get(peer.call("SetChargingProfile", Map.of("evseId", 1, "chargingProfile", Map.of("id", 1))));
    assertThat(nested.errorCode()).isEqualTo("OccurrenceConstraintViolation");
    assertThat(handled).isEmpty(); // the handler never saw a request with a null required field
  }

  @Test
  void inOcpp16TheOccurrenceViolationIsSpelledTheErrataWay() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle(dev.ocppj.client.v16.Ocpp16.RESET, req -> new dev.ocppj.client.v16.ResetResponse(dev.ocppj.client.v16.ResetStatus.ACCEPTED));
    Frame missing = get(peer.call("Reset", Map.of()));
    assertThat(missing.errorCode()).isEqualTo("OccurenceConstraintViolation");
  }

  @Test
  void aResultMissingARequiredPropertyFailsTheTypedCall() {
    csms.answer("BootNotification", p -> Map.of("status", "Accepted", "interval", 300));
    OcppClient c = connected(OcppVersion.V1_6);
    assertThat(failure(c.call(new BootNotificationRequest("V", "M"))))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("the required property currentTime is missing");
  }

  @Test
  void anAsyncTypedHandlerAnswersWhenItsStageCompletes() {
    OcppClient c = connected(OcppVersion.V2_0_1);
    java.util.concurrent.CompletableFuture<ResetResponse> later = new java.util.concurrent.CompletableFuture<>();
    c.handleAsync(Ocpp201.RESET, req -> later);
    java.util.concurrent.CompletableFuture<Frame> answer = peer.call("Reset", Map.of("type", "OnIdle"));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> csms.transcript().size() >= 1);
    assertThat(answer).isNotDone(); // the CALL is out, the stage has not completed
    later.complete(new ResetResponse(ResetStatusEnum.SCHEDULED));
    assertThat(get(answer).payload().path("status").asString()).isEqualTo("Scheduled");
  }

  @Test
  void aTypedHandlerIsRegisteredForItsVersionOnly() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle(Ocpp201.RESET, req -> new ResetResponse(ResetStatusEnum.ACCEPTED));
    assertThat(get(peer.call("Reset", Map.of("type", "Soft"))).errorCode()).isEqualTo("NotSupported");
  }

  @Test
  void aResponseThatDoesNotFitItsTypeFailsTheCall() {
    csms.answer("BootNotification", p -> Map.of("status", "Maybe", "currentTime", "x", "interval", 1));
    OcppClient c = connected(OcppVersion.V1_6);
    assertThat(failure(c.call(new BootNotificationRequest("V", "M"))))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("BootNotification result does not fit BootNotificationResponse");
  }

  @Test
  void aTypedCallOnAConnectionOfAnotherVersionFails() {
    csms.supportedProtocols("ocpp1.6");
    OcppClient c = connected(OcppVersion.V1_6, b -> b.protocols(OcppVersion.V2_0_1, OcppVersion.V1_6));
    assertThat(
            failure(
                c.call(
                    new dev.ocppj.client.v201.BootNotificationRequest(
                        new ChargingStation("M", "V"), BootReasonEnum.POWER_UP))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BootNotification is an ocpp2.0.1 call, but the connection speaks ocpp1.6");
    assertThatThrownBy(() -> c.send(dev.ocppj.client.v21.Ocpp21.NOTIFY_PERIODIC_EVENT_STREAM, null))
        .isInstanceOf(NullPointerException.class);
  }
}
