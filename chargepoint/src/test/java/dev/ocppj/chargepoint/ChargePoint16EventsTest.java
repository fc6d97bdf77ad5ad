package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.ChargePoint16Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.testkit.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Sessions, timers and state machines of the 1.6 charge point, driven by events and the CSMS. */
class ChargePoint16EventsTest {
  private static final long S = WAIT.toSeconds();

  @Test
  void plugTokenUnplugSessionSendsStartMeterValuesAndStop() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.configure("MeterValueSampleInterval", "1");
      f.configure("MeterValuesSampledData", "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage");
      f.configure("StopTxnSampledData", "Energy.Active.Import.Register");
      Frame mark = f.call("TriggerMessage", Map.of("requestedMessage", "Heartbeat"));
      f.cp.plugIn(1).get(S, TimeUnit.SECONDS);
      f.cp.presentToken(1, IdToken.idTag("TAG1")).get(S, TimeUnit.SECONDS);
      Frame start = f.csms.awaitCall("StartTransaction");
      assertThat(start.payload().path("reservationId").isMissingNode()).isTrue();
      String txId = f.cp.transactionId(1);
      JsonNode mv = f.csms.awaitCall("MeterValues").payload();
      assertThat(mv.path("transactionId").asString()).isEqualTo(txId);
      JsonNode sampled = mv.path("meterValue").get(0).path("sampledValue");
      assertThat(sampled.size()).isEqualTo(4);
      assertThat(sampled.get(0).path("context").asString()).isEqualTo("Sample.Periodic");
      assertThat(sampled.get(1).path("unit").asString()).isEqualTo("W");
      f.cp.unplug(1).get(S, TimeUnit.SECONDS);
      JsonNode stop = f.csms.awaitCall("StopTransaction").payload();
      assertThat(stop.path("reason").asString()).isEqualTo("EVDisconnected");
      assertThat(stop.path("meterStop").asLong()).isGreaterThanOrEqualTo(start.payload().path("meterStart").asLong());
      JsonNode data = stop.path("transactionData");
      assertThat(data.get(0).path("sampledValue").get(0).path("context").asString()).isEqualTo("Transaction.Begin");
      assertThat(data.get(data.size() - 1).path("sampledValue").get(0).path("context").asString()).isEqualTo("Transaction.End");
      List<String> calls = f.callsAfter(mark).stream().filter(c -> !c.equals("MeterValues")).toList();
      assertThat(calls).containsExactly("Heartbeat", "StatusNotification:1:Preparing", "Authorize", "StartTransaction",
          "StatusNotification:1:Charging", "StopTransaction:EVDisconnected", "StatusNotification:1:Finishing",
          "StatusNotification:1:Available");
      assertThat(f.callsAfter(mark).indexOf("MeterValues")).isBetween(calls.indexOf("StartTransaction"), calls.size());
      f.assertSchemaValid();
    }
  }

  @Test
  void theSameTokenStopsItsTransactionAndAnUnknownOneIsRefused() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.charging(1, "TAG1");
      f.csms.answer("Authorize", req -> Map.of("idTagInfo", Map.of("status", "Blocked")));
      assertThatThrownBy(() -> f.cp.presentToken(2, IdToken.idTag("BAD")).get(S, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasMessageContaining("token BAD not authorized: Blocked");
      f.cp.presentToken(1, IdToken.idTag("TAG1")).get(S, TimeUnit.SECONDS);
      JsonNode stop = f.csms.awaitCall("StopTransaction").payload();
      assertThat(stop.path("reason").asString()).isEqualTo("Local");
      assertThat(stop.path("idTag").asString()).isEqualTo("TAG1");
      assertThat(f.cp.status(1)).isEqualTo("Finishing");
      f.assertSchemaValid();
    }
  }

  @Test
  void anIdTagTheCsmsRejectsAtStartIsDeauthorizedOrSuspended() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.csms.answer("StartTransaction", req -> Map.of("transactionId", 5, "idTagInfo", Map.of("status", "Invalid")));
      f.cp.plugIn(1).get(S, TimeUnit.SECONDS);
      f.cp.presentToken(1, IdToken.idTag("TAG1")).get(S, TimeUnit.SECONDS);
      assertThat(f.csms.awaitCall("StopTransaction").payload().path("reason").asString()).isEqualTo("DeAuthorized");
      f.configure("StopTransactionOnInvalidId", "false");
      f.cp.plugIn(2).get(S, TimeUnit.SECONDS);
      f.cp.presentToken(2, IdToken.idTag("TAG2")).get(S, TimeUnit.SECONDS);
      assertThat(f.cp.status(2)).isEqualTo("SuspendedEVSE");
      f.assertSchemaValid();
    }
  }

  @Test
  void aReservationIsUsedByItsTagRefusesOthersAndExpires() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.expect("ReserveNow", ChargePoint16OperationsTest.reserve(1, 9, "T9"), "Accepted");
      assertThatThrownBy(() -> f.cp.presentToken(1, IdToken.idTag("OTHER")).get(S, TimeUnit.SECONDS))
          .hasMessageContaining("reserved for T9");
      f.charging(1, "T9");
      assertThat(f.csms.awaitCall("StartTransaction").payload().path("reservationId").asInt()).isEqualTo(9);

      f.settle();
      String soon = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2).withNano(0).toInstant().toString();
      f.expect("ReserveNow", "{\"connectorId\":2,\"expiryDate\":\"" + soon + "\",\"idTag\":\"T1\",\"reservationId\":10}", "Accepted");
      assertThat(f.csms.awaitCall("StatusNotification").payload().path("status").asString()).isEqualTo("Reserved");
      Frame expired = f.csms.awaitCall("StatusNotification");
      assertThat(expired.payload().path("connectorId").asInt()).isEqualTo(2);
      assertThat(expired.payload().path("status").asString()).isEqualTo("Available");
      f.assertSchemaValid();
    }
  }

  @Test
  void resetStaysOffForTheRebootDelayThenBootsAgain() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      long before = System.nanoTime();
      f.expect("Reset", Map.of("type", "Hard"), "Accepted");
      f.csms.awaitCall("BootNotification");
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
      assertThat(f.csms.chargePoints()).hasSize(2);
      f.assertSchemaValid();
    }
  }

  @Test
  void firmwareUpdateInstallsTheVersionOfTheFileAfterAReboot() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.charging(1, "TAG1");
      f.settle();
      Frame answer = f.call("UpdateFirmware", "{\"location\":\"https://fw.example/station-fw-2.4.1.bin\",\"retrieveDate\":\"2020-01-01T00:00:00Z\"}");
      JsonNode boot = f.csms.awaitCall("BootNotification").payload();
      assertThat(boot.path("firmwareVersion").asString()).isEqualTo("2.4.1");
      f.csms.awaitCall("FirmwareStatusNotification"); // Downloading
      f.csms.awaitCall("FirmwareStatusNotification"); // Downloaded
      f.csms.awaitCall("FirmwareStatusNotification"); // Installing
      assertThat(f.csms.awaitCall("FirmwareStatusNotification").payload().path("status").asString()).isEqualTo("Installed");
      assertThat(f.callsAfter(answer)).startsWith("FirmwareStatusNotification:Downloading", "FirmwareStatusNotification:Downloaded",
          "FirmwareStatusNotification:Installing", "StopTransaction:Reboot", "StatusNotification:1:Finishing", "BootNotification");
      assertThat(f.cp.firmwareVersion()).isEqualTo("2.4.1");
      assertThat(Cp16Firmware.nextVersion("ftp://x/fw.bin", "1.0.9")).isEqualTo("1.0.10");
      f.assertSchemaValid();
    }
  }

  @Test
  void aChargingLimitShowsInTheCompositeScheduleAndTheMeter() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.charging(1, "TAG1");
      f.expect("SetChargingProfile", ChargePoint16OperationsTest.setProfile(1,
          ChargePoint16OperationsTest.profile(1, "TxProfile", 0, "A", 1, 8)), "Accepted");
      JsonNode schedule = f.expect("GetCompositeSchedule", Map.of("connectorId", 1, "duration", 300, "chargingRateUnit", "W"), "Accepted")
          .payload().path("chargingSchedule");
      assertThat(schedule.path("chargingSchedulePeriod").get(0).path("limit").asDouble()).isEqualTo(8 * 230 * 3.0);
      f.settle();
      f.expect("TriggerMessage", Map.of("requestedMessage", "MeterValues", "connectorId", 1), "Accepted");
      f.configure("MeterValuesSampledData", "Power.Active.Import");
      JsonNode power = f.csms.awaitCall("MeterValues").payload().path("meterValue").get(0).path("sampledValue");
      for (JsonNode v : power) {
        if (v.path("measurand").asString().equals("Power.Active.Import")) {
          assertThat(Double.parseDouble(v.path("value").asString())).isLessThanOrEqualTo(5520.0);
        }
      }
      f.expect("ClearChargingProfile", "{}", "Accepted");
      schedule = f.expect("GetCompositeSchedule", Map.of("connectorId", 1, "duration", 300, "chargingRateUnit", "W"), "Accepted")
          .payload().path("chargingSchedule");
      assertThat(schedule.path("chargingSchedulePeriod").get(0).path("limit").asDouble()).isEqualTo(22000.0);
      f.assertSchemaValid();
    }
  }

  @Test
  void aScheduledAvailabilityChangeAppliesWhenTheTransactionEnds() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.charging(1, "TAG1");
      f.expect("ChangeAvailability", Map.of("connectorId", 1, "type", "Inoperative"), "Scheduled");
      f.settle();
      Frame stop = f.expect("RemoteStopTransaction", Map.of("transactionId", Long.parseLong(f.cp.transactionId(1))), "Accepted");
      f.awaitFollowUps(stop, List.of("StopTransaction:Remote", "StatusNotification:1:Unavailable"));
      f.assertSchemaValid();
    }
  }

  @Test
  void aTokenWithoutACableGivesUpAfterConnectionTimeOut() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.configure("ConnectionTimeOut", "1");
      f.cp.presentToken(1, IdToken.idTag("TAG1")).get(S, TimeUnit.SECONDS);
      assertThat(f.cp.status(1)).isEqualTo("Preparing");
      f.csms.awaitCall("StatusNotification"); // Preparing
      Frame back = f.csms.awaitCall("StatusNotification");
      assertThat(ChargePoint16Fixture.describe(back)).isEqualTo("StatusNotification:1:Available");
      f.assertSchemaValid();
    }
  }

  @Test
  void aFaultStopsTheTransactionAndClearingItReturnsToTheSessionState() throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started()) {
      f.charging(1, "TAG1");
      f.settle();
      f.cp.fault(1, "GroundFailure").get(S, TimeUnit.SECONDS);
      assertThat(f.csms.awaitCall("StopTransaction").payload().path("reason").asString()).isEqualTo("Other");
      JsonNode faulted = f.csms.awaitCall("StatusNotification").payload();
      assertThat(faulted.path("status").asString()).isEqualTo("Faulted");
      assertThat(faulted.path("errorCode").asString()).isEqualTo("GroundFailure");
      f.cp.clearFault(1).get(S, TimeUnit.SECONDS);
      assertThat(ChargePoint16Fixture.describe(f.csms.awaitCall("StatusNotification"))).isEqualTo("StatusNotification:1:Finishing");
      f.cp.fault(2, "ReaderFailure").get(S, TimeUnit.SECONDS);
      JsonNode reader = f.csms.awaitCall("StatusNotification").payload();
      assertThat(reader.path("status").asString()).isEqualTo("Available");
      assertThat(reader.path("errorCode").asString()).isEqualTo("ReaderFailure");
      f.assertSchemaValid();
    }
  }
}
