package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** What a person, a car or time does to a 2.x station, and the messages that follow, under 2.0.1 and 2.1. */
class ChargingStation2EventsTest {
  private static String pem;

  @BeforeAll
  static void certificate(@TempDir Path dir) throws Exception {
    pem = ChargingStation2Fixture.certificatePem(dir);
  }

  private static ChargingStation2Fixture booted(OcppVersion v) throws Exception {
    return new ChargingStation2Fixture(v, ChargingStation2Fixture.profile().build()).boot();
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void plugTokenUnplugSessionNumbersItsTransactionEvents(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      f.station.plugIn(1).get(10, TimeUnit.SECONDS);
      assertThat(f.csms.awaitCall("StatusNotification").payload().path("connectorStatus").asString()).isEqualTo("Occupied");
      JsonNode started = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(started.path("eventType").asString()).isEqualTo("Started");
      assertThat(started.path("triggerReason").asString()).isEqualTo("CablePluggedIn");
      assertThat(started.path("seqNo").asInt()).isZero();
      assertThat(started.path("transactionInfo").path("chargingState").asString()).isEqualTo("EVConnected");
      assertThat(started.path("evse").path("id").asInt()).isEqualTo(1);
      assertThat(started.path("evse").path("connectorId").asInt()).isEqualTo(1);
      assertThat(started.path("meterValue").get(0).path("sampledValue").get(0).path("context").asString()).isEqualTo("Transaction.Begin");
      String txId = started.path("transactionInfo").path("transactionId").asString();
      assertThat(f.station.transactionId(1)).isEqualTo(txId);

      IdToken token = IdToken.iso14443(42);
      f.station.presentToken(1, token).get(10, TimeUnit.SECONDS);
      assertThat(f.csms.awaitCall("Authorize").payload().path("idToken").path("idToken").asString()).isEqualTo(token.value());
      JsonNode authorized = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(authorized.path("eventType").asString()).isEqualTo("Updated");
      assertThat(authorized.path("triggerReason").asString()).isEqualTo("Authorized");
      assertThat(authorized.path("transactionInfo").path("chargingState").asString()).isEqualTo("Charging");
      assertThat(authorized.path("idToken").path("idToken").asString()).isEqualTo(token.value());

      // TxUpdatedInterval re-arms at once: a periodic sample within the second.
      Frame set = f.call("SetVariables", TestCsms.json("""
          {"setVariableData":[{"attributeValue":"1","component":{"name":"SampledDataCtrlr"},"variable":{"name":"TxUpdatedInterval"}}]}"""));
      assertThat(set.payload().at("/setVariableResult/0/attributeStatus").asString()).isEqualTo("Accepted");
      JsonNode periodic = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(periodic.path("triggerReason").asString()).isEqualTo("MeterValuePeriodic");
      assertThat(periodic.path("meterValue").get(0).path("sampledValue").get(0).path("context").asString()).isEqualTo("Sample.Periodic");
      f.call("SetVariables", TestCsms.json("""
          {"setVariableData":[{"attributeValue":"0","component":{"name":"SampledDataCtrlr"},"variable":{"name":"TxUpdatedInterval"}}]}"""));
      f.idle();

      f.station.unplug(1).get(10, TimeUnit.SECONDS);
      List<JsonNode> events = new ArrayList<>(List.of(started, authorized, periodic));
      JsonNode ended;
      do {
        ended = f.csms.awaitCall("TransactionEvent").payload();
        events.add(ended);
      } while (!ended.path("eventType").asString().equals("Ended"));
      assertThat(ended.path("triggerReason").asString()).isEqualTo("EVCommunicationLost");
      assertThat(ended.path("transactionInfo").path("stoppedReason").asString()).isEqualTo("EVDisconnected");
      assertThat(ended.path("meterValue").get(0).path("sampledValue").get(0).path("context").asString()).isEqualTo("Transaction.End");
      assertThat(f.csms.awaitCall("StatusNotification").payload().path("connectorStatus").asString()).isEqualTo("Available");
      int previous = -1;
      for (JsonNode e : events) {
        assertThat(e.path("seqNo").asInt()).isGreaterThan(previous);
        previous = e.path("seqNo").asInt();
        assertThat(e.path("transactionInfo").path("transactionId").asString()).isEqualTo(txId);
      }
      assertThat(f.station.transactionId(1)).isNull();
      f.assertNoFailures();
    }
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void tokenFirstThenCableAndTheTokenAgainStops(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      IdToken token = IdToken.iso14443(43);
      f.station.presentToken(2, token).get(10, TimeUnit.SECONDS);
      f.csms.awaitCall("Authorize");
      JsonNode started = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(started.path("triggerReason").asString()).isEqualTo("Authorized");
      assertThat(started.path("evse").path("id").asInt()).isEqualTo(2);
      f.station.plugIn(2).get(10, TimeUnit.SECONDS);
      f.csms.awaitCall("StatusNotification"); // connector 1 Occupied
      f.csms.awaitCall("StatusNotification"); // connector 2 Unavailable while 1 is in use
      JsonNode plugged = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(plugged.path("triggerReason").asString()).isEqualTo("CablePluggedIn");
      assertThat(plugged.path("transactionInfo").path("chargingState").asString()).isEqualTo("Charging");
      assertThat(plugged.path("evse").path("connectorId").asInt()).isEqualTo(1);
      f.station.presentToken(2, token).get(10, TimeUnit.SECONDS);
      JsonNode ended = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(ended.path("eventType").asString()).isEqualTo("Ended");
      assertThat(ended.path("triggerReason").asString()).isEqualTo("StopAuthorized");
      assertThat(ended.path("transactionInfo").path("stoppedReason").asString()).isEqualTo("Local");
      assertThat(ended.path("seqNo").asInt()).isEqualTo(2);
      f.assertNoFailures();
    }
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void aTokenTheCsmsBlocksFailsTheEventAndStartsNothing(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      f.csms.answer("Authorize", req -> Map.of("idTokenInfo", Map.of("status", "Blocked")));
      IdToken token = IdToken.iso14443(44);
      assertThatThrownBy(() -> f.station.presentToken(1, token).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(IllegalStateException.class).hasMessage("token " + token.value() + " not authorized: Blocked");
      f.csms.awaitCall("Authorize");
      f.idle();
      assertThat(f.station.transactionId(1)).isNull();
      f.csms.assertNoMoreFrames();
      f.assertNoFailures();
    }
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void fullInventoryIsSplitOverNotifyReportsListingTheEvses(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      Frame answer = f.call("GetBaseReport", TestCsms.json("{\"requestId\":11,\"reportBase\":\"FullInventory\"}"));
      assertThat(answer.payload().path("status").asString()).isEqualTo("Accepted");
      List<JsonNode> reports = new ArrayList<>();
      JsonNode r;
      do {
        r = f.csms.awaitCall("NotifyReport").payload();
        reports.add(r);
      } while (r.path("tbc").asBoolean());
      assertThat(reports.size()).isGreaterThan(3);
      Set<String> components = new HashSet<>();
      for (int i = 0; i < reports.size(); i++) {
        JsonNode one = reports.get(i);
        assertThat(one.path("requestId").asInt()).isEqualTo(11);
        assertThat(one.path("seqNo").asInt()).isEqualTo(i);
        assertThat(one.path("tbc").asBoolean()).isEqualTo(i < reports.size() - 1);
        assertThat(one.path("reportData").size()).isBetween(1, 20);
        for (JsonNode d : one.path("reportData")) {
          JsonNode c = d.path("component");
          components.add(c.path("name").asString() + c.path("evse").path("id").asInt(0) + "/" + c.path("evse").path("connectorId").asInt(0));
        }
      }
      assertThat(components).contains("EVSE1/0", "EVSE2/0", "Connector1/1", "Connector2/1", "Connector2/2",
          "OCPPCommCtrlr0/0", "TxCtrlr0/0", "SmartChargingCtrlr0/0");
      f.assertNoFailures();
    }
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void resetEndsTheTransactionThenRebootsAfterTheDelay(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      f.station.plugIn(1).get(10, TimeUnit.SECONDS);
      f.csms.awaitCall("StatusNotification");
      f.csms.awaitCall("TransactionEvent");
      Frame answer = f.call("Reset", TestCsms.json("{\"type\":\"Immediate\"}"));
      long answered = System.nanoTime();
      assertThat(answer.payload().path("status").asString()).isEqualTo("Accepted");
      JsonNode ended = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(ended.path("eventType").asString()).isEqualTo("Ended");
      assertThat(ended.path("triggerReason").asString()).isEqualTo("ResetCommand");
      assertThat(ended.path("transactionInfo").path("stoppedReason").asString()).isEqualTo("ImmediateReset");
      JsonNode boot = f.csms.awaitCall("BootNotification").payload();
      assertThat((System.nanoTime() - answered) / 1_000_000).as("off line for the reboot delay").isGreaterThanOrEqualTo(450);
      assertThat(boot.path("reason").asString()).isEqualTo("RemoteReset");
      for (int i = 0; i < 3; i++) {
        f.csms.awaitCall("StatusNotification");
      }
      f.idle();
      f.assertNoFailures();
    }
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void signedFirmwareGoesThroughEveryStatusAndRebootsIntoTheNewVersion(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      String request = TestCsms.json("{}").toString();
      tools.jackson.databind.node.ObjectNode fw = (tools.jackson.databind.node.ObjectNode) TestCsms.json("""
          {"location":"https://fw.example/fw-2.0.bin","retrieveDateTime":"2020-01-01T00:00:00Z","signature":"c2lnbmF0dXJl"}""");
      fw.put("signingCertificate", pem);
      tools.jackson.databind.node.ObjectNode params = (tools.jackson.databind.node.ObjectNode) TestCsms.json("{\"requestId\":9}");
      params.set("firmware", fw);
      Frame answer = f.call("UpdateFirmware", params);
      assertThat(answer.payload().path("status").asString()).as(request + answer.text()).isEqualTo("Accepted");
      List<String> statuses = new ArrayList<>();
      for (String expected : List.of("Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting")) {
        JsonNode s = f.csms.awaitCall("FirmwareStatusNotification").payload();
        assertThat(s.path("requestId").asInt()).isEqualTo(9);
        statuses.add(s.path("status").asString());
      }
      assertThat(statuses).containsExactly("Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting");
      Frame boot = f.csms.awaitCall("BootNotification");
      assertThat(boot.payload().path("reason").asString()).isEqualTo("FirmwareUpdate");
      assertThat(boot.payload().path("chargingStation").path("firmwareVersion").asString()).isEqualTo("fw-2.0.bin");
      Frame installed = f.csms.awaitCall("FirmwareStatusNotification");
      assertThat(installed.payload().path("status").asString()).isEqualTo("Installed");
      assertThat(ChargingStation2OperationsTest.indexOf(f, installed.messageId(), true))
          .isGreaterThan(ChargingStation2OperationsTest.indexOf(f, boot.messageId(), true));
      for (int i = 0; i < 3; i++) {
        f.csms.awaitCall("StatusNotification");
      }
      f.idle();
      assertThat(f.station.variable("ChargingStation", "FirmwareVersion")).isEqualTo("fw-2.0.bin");
      f.assertNoFailures();
    }
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void anExpiredReservationIsReportedAndFreesTheEvse(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      String expiry = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(2).withNano(0).toInstant().toString(); // Instant.toString keeps ":00" seconds
      Frame answer = f.call("ReserveNow", TestCsms.json("{\"id\":5,\"expiryDateTime\":\"" + expiry
          + "\",\"evseId\":1,\"idToken\":{\"idToken\":\"04A1B2C3D4E5F6\",\"type\":\"ISO14443\"}}"));
      assertThat(answer.payload().path("status").asString()).isEqualTo("Accepted");
      assertThat(f.csms.awaitCall("StatusNotification").payload().path("connectorStatus").asString()).isEqualTo("Reserved");
      JsonNode update = f.csms.awaitCall("ReservationStatusUpdate").payload();
      assertThat(update.path("reservationId").asInt()).isEqualTo(5);
      assertThat(update.path("reservationUpdateStatus").asString()).isEqualTo("Expired");
      assertThat(f.csms.awaitCall("StatusNotification").payload().path("connectorStatus").asString()).isEqualTo("Available");
      f.assertNoFailures();
    }
  }

  @ParameterizedTest
  @EnumSource(value = OcppVersion.class, names = {"V2_0_1", "V2_1"})
  void theReservedTokenUsesItsReservation(OcppVersion v) throws Exception {
    try (ChargingStation2Fixture f = booted(v)) {
      String expiry = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).withNano(0).toInstant().toString(); // Instant.toString keeps ":00" seconds
      IdToken token = IdToken.iso14443(45);
      f.call("ReserveNow", TestCsms.json("{\"id\":6,\"expiryDateTime\":\"" + expiry
          + "\",\"evseId\":1,\"idToken\":{\"idToken\":\"" + token.value() + "\",\"type\":\"ISO14443\"}}"));
      f.csms.awaitCall("StatusNotification");
      assertThatThrownBy(() -> f.station.presentToken(1, IdToken.iso14443(46)).get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("reserved");
      f.station.presentToken(1, token).get(10, TimeUnit.SECONDS);
      f.csms.awaitCall("Authorize");
      assertThat(f.csms.awaitCall("StatusNotification").payload().path("connectorStatus").asString()).isEqualTo("Available");
      JsonNode started = f.csms.awaitCall("TransactionEvent").payload();
      assertThat(started.path("reservationId").asInt()).isEqualTo(6);
      f.assertNoFailures();
    }
  }
}
