package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.testkit.Frame;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every CSMS-initiated 1.6 operation (and the security extension's), one row per case: the
 * state set up first, the payload, the answer expected, and the follow-up messages expected
 * after the answer, in order. The client is strict, so every message both ways is checked
 * against the OCA schemas (rows that send an invalid payload on purpose run without it).
 */
class ChargePoint16OperationsTest {
  interface Setup {
    void run(ChargePoint16Fixture f) throws Exception;
  }

  record Row(String name, String action, String payload, String status, String errorCode,
      Predicate<JsonNode> check, List<String> followUps, Setup setup, boolean strict,
      Consumer<StationProfile.Builder> profile) {
    @Override
    public String toString() {
      return name;
    }

    Row given(Setup s) {
      return new Row(name, action, payload, status, errorCode, check, followUps, s, strict, profile);
    }

    Row then(String... expected) {
      return new Row(name, action, payload, status, errorCode, check, List.of(expected), setup, strict, profile);
    }

    Row checking(Predicate<JsonNode> c) {
      return new Row(name, action, payload, status, errorCode, c, followUps, setup, strict, profile);
    }

    Row lax() {
      return new Row(name, action, payload, status, errorCode, check, followUps, setup, false, profile);
    }

    Row without(Feature feature) {
      return new Row(name, action, payload, status, errorCode, check, followUps, setup, strict, b -> b.without(feature));
    }
  }

  static Row row(String name, String action, String payload, String status) {
    return new Row(name, action, payload, status, null, null, List.of(), f -> {}, true, b -> {});
  }

  static Row error(String name, String action, String payload, String code) {
    return new Row(name, action, payload, null, code, null, List.of(), f -> {}, true, b -> {});
  }

  static final Setup CHARGING = f -> f.charging(1, "TAG1");
  static final Setup PLUGGED = f -> f.cp.plugIn(1).get();
  static final Setup FAULTED = f -> f.cp.fault(1, "GroundFailure").get();
  static final Setup PLUGS_IN = f -> f.cp.remoteStartPlugsIn(true);
  static final Setup RESERVED = f -> f.expect("ReserveNow", reserve(1, 7, "OTHER"), "Accepted");
  static final Setup INOPERATIVE = f -> f.expect("ChangeAvailability", "{\"connectorId\":1,\"type\":\"Inoperative\"}", "Accepted");
  static final String[] BOOT = {"BootNotification", "StatusNotification:0:Available", "StatusNotification:1:Available",
      "StatusNotification:2:Available"};

  static String in(int seconds) {
    return OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(seconds).withNano(0).toInstant().toString();
  }

  static String reserve(int connector, int id, String tag) {
    return "{\"connectorId\":" + connector + ",\"expiryDate\":\"" + in(3600) + "\",\"idTag\":\"" + tag
        + "\",\"reservationId\":" + id + "}";
  }

  static String profile(int id, String purpose, int stackLevel, String unit, int periods, double limit) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < periods; i++) {
      p.append(i == 0 ? "" : ",").append("{\"startPeriod\":").append(i * 60).append(",\"limit\":").append(limit).append("}");
    }
    return "{\"chargingProfileId\":" + id + ",\"stackLevel\":" + stackLevel + ",\"chargingProfilePurpose\":\"" + purpose
        + "\",\"chargingProfileKind\":\"Relative\",\"chargingSchedule\":{\"chargingRateUnit\":\"" + unit
        + "\",\"chargingSchedulePeriod\":[" + p + "]}}";
  }

  static String setProfile(int connector, String profile) {
    return "{\"connectorId\":" + connector + ",\"csChargingProfiles\":" + profile + "}";
  }

  static String localList(int version, String type, int entries) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < entries; i++) {
      l.append(i == 0 ? "" : ",").append("{\"idTag\":\"T").append(i).append("\",\"idTagInfo\":{\"status\":\"Accepted\"}}");
    }
    return "{\"listVersion\":" + version + ",\"updateType\":\"" + type + "\",\"localAuthorizationList\":[" + l + "]}";
  }

  static String signedFirmware(String location, String certificate, String signature) {
    return "{\"requestId\":42,\"firmware\":{\"location\":\"" + location + "\",\"retrieveDateTime\":\"" + in(-60)
        + "\",\"signingCertificate\":\"" + certificate.replace("\n", "\\n") + "\",\"signature\":\"" + signature + "\"}}";
  }

  static String hashData(String serial) {
    return "{\"certificateHashData\":{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"aa\",\"issuerKeyHash\":\"bb\",\"serialNumber\":\""
        + serial + "\"}}";
  }

  static final String INSTALL_ROOT = "{\"certificateType\":\"CentralSystemRootCertificate\",\"certificate\":\""
      + ChargePoint16Fixture.CERT.replace("\n", "\\n") + "\"}";

  static Stream<Row> rows() {
    List<Row> r = new ArrayList<>();
    // ---- Core: ChangeAvailability
    r.add(row("ChangeAvailability connector Inoperative", "ChangeAvailability", "{\"connectorId\":1,\"type\":\"Inoperative\"}", "Accepted")
        .then("StatusNotification:1:Unavailable"));
    r.add(row("ChangeAvailability station Inoperative", "ChangeAvailability", "{\"connectorId\":0,\"type\":\"Inoperative\"}", "Accepted")
        .then("StatusNotification:0:Unavailable", "StatusNotification:1:Unavailable", "StatusNotification:2:Unavailable"));
    r.add(row("ChangeAvailability during a transaction: Scheduled", "ChangeAvailability", "{\"connectorId\":1,\"type\":\"Inoperative\"}", "Scheduled")
        .given(CHARGING));
    r.add(row("ChangeAvailability unknown connector", "ChangeAvailability", "{\"connectorId\":9,\"type\":\"Inoperative\"}", "Rejected"));
    r.add(row("ChangeAvailability back to Operative", "ChangeAvailability", "{\"connectorId\":1,\"type\":\"Operative\"}", "Accepted")
        .given(INOPERATIVE).then("StatusNotification:1:Available"));
    r.add(error("ChangeAvailability missing type", "ChangeAvailability", "{\"connectorId\":1}", "OccurenceConstraintViolation").lax());
    // ---- ChangeConfiguration
    r.add(row("ChangeConfiguration HeartbeatInterval", "ChangeConfiguration", "{\"key\":\"HeartbeatInterval\",\"value\":\"60\"}", "Accepted"));
    r.add(row("ChangeConfiguration read-only key", "ChangeConfiguration", "{\"key\":\"NumberOfConnectors\",\"value\":\"5\"}", "Rejected"));
    r.add(row("ChangeConfiguration invalid integer", "ChangeConfiguration", "{\"key\":\"MeterValueSampleInterval\",\"value\":\"soon\"}", "Rejected"));
    r.add(row("ChangeConfiguration invalid boolean", "ChangeConfiguration", "{\"key\":\"LocalPreAuthorize\",\"value\":\"yes\"}", "Rejected"));
    r.add(row("ChangeConfiguration unknown measurand", "ChangeConfiguration",
        "{\"key\":\"MeterValuesSampledData\",\"value\":\"Energy.Active.Import.Register,Frequency\"}", "Rejected"));
    r.add(row("ChangeConfiguration unknown key", "ChangeConfiguration", "{\"key\":\"NoSuchKey\",\"value\":\"1\"}", "NotSupported"));
    r.add(row("ChangeConfiguration SecurityProfile needs a reboot", "ChangeConfiguration", "{\"key\":\"SecurityProfile\",\"value\":\"1\"}", "RebootRequired"));
    r.add(row("ChangeConfiguration AuthorizationKey too short", "ChangeConfiguration", "{\"key\":\"AuthorizationKey\",\"value\":\"short\"}", "Rejected"));
    r.add(error("ChangeConfiguration missing value", "ChangeConfiguration", "{\"key\":\"HeartbeatInterval\"}", "OccurenceConstraintViolation").lax());
    // ---- ClearCache, DataTransfer
    r.add(row("ClearCache", "ClearCache", "{}", "Accepted"));
    r.add(row("ClearCache with the cache disabled", "ClearCache", "{}", "Rejected")
        .given(f -> f.configure("AuthorizationCacheEnabled", "false")));
    r.add(row("DataTransfer unknown vendor", "DataTransfer", "{\"vendorId\":\"Other\"}", "UnknownVendorId"));
    r.add(row("DataTransfer own vendor", "DataTransfer", "{\"vendorId\":\"VendorX\",\"messageId\":\"x\"}", "UnknownMessageId"));
    // ---- GetConfiguration
    r.add(row("GetConfiguration all", "GetConfiguration", "{}", null).checking(p -> keys(p).contains("HeartbeatInterval")
        && keys(p).contains("SupportedFeatureProfiles") && value(p, "NumberOfConnectors").equals("2")
        && !p.path("configurationKey").toString().contains("\"AuthorizationKey\",\"readonly\":false,\"value\"")));
    r.add(row("GetConfiguration some and unknown", "GetConfiguration", "{\"key\":[\"HeartbeatInterval\",\"Nope\"]}", null)
        .checking(p -> keys(p).equals(List.of("HeartbeatInterval")) && p.path("unknownKey").get(0).asString().equals("Nope")));
    r.add(row("GetConfiguration write-only key without value", "GetConfiguration", "{\"key\":[\"AuthorizationKey\"]}", null)
        .checking(p -> keys(p).equals(List.of("AuthorizationKey")) && !p.path("configurationKey").get(0).has("value")));
    r.add(row("GetConfiguration without LocalAuthList keys", "GetConfiguration", "{\"key\":[\"LocalAuthListEnabled\"]}", null)
        .without(Feature.LOCAL_AUTH_LIST_MANAGEMENT).checking(p -> p.path("unknownKey").size() == 1));
    // ---- RemoteStartTransaction
    r.add(row("RemoteStart plugs in at once", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"R1\"}", "Accepted")
        .given(PLUGS_IN).then("StatusNotification:1:Preparing", "StartTransaction", "StatusNotification:1:Charging"));
    r.add(row("RemoteStart waits for a cable", "RemoteStartTransaction", "{\"connectorId\":2,\"idTag\":\"R1\"}", "Accepted")
        .then("StatusNotification:2:Preparing"));
    r.add(row("RemoteStart without connector: the first free", "RemoteStartTransaction", "{\"idTag\":\"R1\"}", "Accepted")
        .given(CHARGING).then("StatusNotification:2:Preparing"));
    r.add(row("RemoteStart with AuthorizeRemoteTxRequests", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"R1\"}", "Accepted")
        .given(f -> {
          f.configure("AuthorizeRemoteTxRequests", "true");
          f.cp.remoteStartPlugsIn(true);
        }).then("Authorize", "StatusNotification:1:Preparing", "StartTransaction", "StatusNotification:1:Charging"));
    r.add(row("RemoteStart with a TxProfile", "RemoteStartTransaction",
        "{\"connectorId\":1,\"idTag\":\"R1\",\"chargingProfile\":" + profile(5, "TxProfile", 1, "A", 1, 10) + "}", "Accepted")
        .given(PLUGS_IN).then("StatusNotification:1:Preparing", "StartTransaction", "StatusNotification:1:Charging"));
    r.add(row("RemoteStart with a TxDefaultProfile", "RemoteStartTransaction",
        "{\"connectorId\":1,\"idTag\":\"R1\",\"chargingProfile\":" + profile(5, "TxDefaultProfile", 1, "A", 1, 10) + "}", "Rejected"));
    r.add(row("RemoteStart on a busy connector", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"R1\"}", "Rejected").given(CHARGING));
    r.add(row("RemoteStart on a faulted connector", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"R1\"}", "Rejected").given(FAULTED));
    r.add(row("RemoteStart on an unavailable connector", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"R1\"}", "Rejected").given(INOPERATIVE));
    r.add(row("RemoteStart on a connector reserved for another tag", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"R1\"}", "Rejected")
        .given(RESERVED));
    r.add(row("RemoteStart for the reserving tag", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"OTHER\"}", "Accepted")
        .given(f -> {
          RESERVED.run(f);
          f.cp.remoteStartPlugsIn(true);
        }).then("StatusNotification:1:Preparing", "StartTransaction", "StatusNotification:1:Charging"));
    r.add(row("RemoteStart on an unknown connector", "RemoteStartTransaction", "{\"connectorId\":9,\"idTag\":\"R1\"}", "Rejected"));
    r.add(row("RemoteStart on connector 0", "RemoteStartTransaction", "{\"connectorId\":0,\"idTag\":\"R1\"}", "Rejected"));
    r.add(error("RemoteStart missing idTag", "RemoteStartTransaction", "{\"connectorId\":1}", "OccurenceConstraintViolation").lax());
    // ---- RemoteStopTransaction
    r.add(row("RemoteStop a running transaction", "RemoteStopTransaction", "{\"transactionId\":1}", "Accepted")
        .given(CHARGING).then("StopTransaction:Remote", "StatusNotification:1:Finishing"));
    r.add(row("RemoteStop an unknown transaction", "RemoteStopTransaction", "{\"transactionId\":77}", "Rejected").given(CHARGING));
    r.add(error("RemoteStop transactionId not an integer", "RemoteStopTransaction", "{\"transactionId\":\"x\"}", "TypeConstraintViolation").lax());
    // ---- Reset
    r.add(row("Reset Soft during a transaction", "Reset", "{\"type\":\"Soft\"}", "Accepted").given(CHARGING)
        .then("StopTransaction:SoftReset", "StatusNotification:1:Finishing", "BootNotification", "StatusNotification:0:Available",
            "StatusNotification:1:Finishing", "StatusNotification:2:Available"));
    r.add(row("Reset Hard", "Reset", "{\"type\":\"Hard\"}", "Accepted").then(BOOT));
    r.add(error("Reset unknown type", "Reset", "{\"type\":\"Medium\"}", "PropertyConstraintViolation").lax());
    // ---- UnlockConnector
    r.add(row("UnlockConnector idle", "UnlockConnector", "{\"connectorId\":1}", "Unlocked"));
    r.add(row("UnlockConnector during a transaction", "UnlockConnector", "{\"connectorId\":1}", "Unlocked").given(CHARGING)
        .then("StopTransaction:UnlockCommand", "StatusNotification:1:Finishing"));
    r.add(row("UnlockConnector 0", "UnlockConnector", "{\"connectorId\":0}", "NotSupported"));
    r.add(row("UnlockConnector unknown", "UnlockConnector", "{\"connectorId\":9}", "NotSupported"));
    // ---- FirmwareManagement
    r.add(row("GetDiagnostics", "GetDiagnostics", "{\"location\":\"ftp://logs.example/up\",\"startTime\":\"" + in(-3600) + "\"}", null)
        .checking(p -> p.path("fileName").asString().startsWith("diagnostics-CP16-"))
        .then("DiagnosticsStatusNotification:Uploading", "DiagnosticsStatusNotification:Uploaded"));
    r.add(row("GetDiagnostics unreachable location", "GetDiagnostics", "{\"location\":\"file:///tmp/x\"}", null)
        .then("DiagnosticsStatusNotification:Uploading", "DiagnosticsStatusNotification:UploadFailed"));
    r.add(error("GetDiagnostics without FirmwareManagement", "GetDiagnostics", "{\"location\":\"ftp://x/\"}", "NotSupported")
        .without(Feature.FIRMWARE_MANAGEMENT));
    List<String> update = new ArrayList<>(List.of("FirmwareStatusNotification:Downloading", "FirmwareStatusNotification:Downloaded",
        "FirmwareStatusNotification:Installing"));
    update.addAll(Arrays.asList(BOOT));
    update.add("FirmwareStatusNotification:Installed");
    r.add(row("UpdateFirmware", "UpdateFirmware", "{\"location\":\"https://fw.example/fw-2.0.0.bin\",\"retrieveDate\":\"" + in(-60) + "\"}", null)
        .then(update.toArray(String[]::new)));
    r.add(row("UpdateFirmware unreachable location", "UpdateFirmware", "{\"location\":\"nfs://fw/fw.bin\",\"retrieveDate\":\"" + in(-60) + "\"}", null)
        .then("FirmwareStatusNotification:Downloading", "FirmwareStatusNotification:DownloadFailed"));
    r.add(error("UpdateFirmware missing retrieveDate", "UpdateFirmware", "{\"location\":\"https://fw/\"}", "OccurenceConstraintViolation").lax());
    // ---- LocalAuthListManagement
    r.add(row("GetLocalListVersion without a list", "GetLocalListVersion", "{}", null).checking(p -> p.path("listVersion").asInt() == 0));
    r.add(row("GetLocalListVersion after SendLocalList", "GetLocalListVersion", "{}", null)
        .given(f -> f.expect("SendLocalList", localList(4, "Full", 2), "Accepted")).checking(p -> p.path("listVersion").asInt() == 4));
    r.add(row("GetLocalListVersion without the feature", "GetLocalListVersion", "{}", null)
        .without(Feature.LOCAL_AUTH_LIST_MANAGEMENT).checking(p -> p.path("listVersion").asInt() == -1));
    r.add(row("SendLocalList Full", "SendLocalList", localList(1, "Full", 2), "Accepted"));
    r.add(row("SendLocalList Differential not newer", "SendLocalList", localList(0, "Differential", 1), "VersionMismatch"));
    r.add(row("SendLocalList Differential newer", "SendLocalList", localList(3, "Differential", 1), "Accepted")
        .given(f -> f.expect("SendLocalList", localList(2, "Full", 2), "Accepted")));
    r.add(row("SendLocalList too many entries", "SendLocalList", localList(1, "Full", 101), "Failed"));
    r.add(row("SendLocalList with the list disabled", "SendLocalList", localList(1, "Full", 1), "NotSupported")
        .given(f -> f.configure("LocalAuthListEnabled", "false")));
    r.add(error("SendLocalList without the feature", "SendLocalList", localList(1, "Full", 1), "NotSupported")
        .without(Feature.LOCAL_AUTH_LIST_MANAGEMENT));
    // ---- Reservation
    r.add(row("ReserveNow", "ReserveNow", reserve(1, 1, "T1"), "Accepted").then("StatusNotification:1:Reserved"));
    r.add(row("ReserveNow connector 0", "ReserveNow", reserve(0, 1, "T1"), "Rejected"));
    r.add(row("ReserveNow unknown connector", "ReserveNow", reserve(9, 1, "T1"), "Rejected"));
    r.add(row("ReserveNow during a transaction", "ReserveNow", reserve(1, 1, "T1"), "Occupied").given(CHARGING));
    r.add(row("ReserveNow while Preparing", "ReserveNow", reserve(1, 1, "T1"), "Occupied").given(PLUGGED));
    r.add(row("ReserveNow on a reserved connector", "ReserveNow", reserve(1, 1, "T1"), "Occupied").given(RESERVED));
    r.add(row("ReserveNow faulted", "ReserveNow", reserve(1, 1, "T1"), "Faulted").given(FAULTED));
    r.add(row("ReserveNow unavailable", "ReserveNow", reserve(1, 1, "T1"), "Unavailable").given(INOPERATIVE));
    r.add(row("ReserveNow expired already", "ReserveNow",
        "{\"connectorId\":1,\"expiryDate\":\"" + in(-10) + "\",\"idTag\":\"T1\",\"reservationId\":1}", "Rejected"));
    r.add(row("ReserveNow replaces its reservationId elsewhere", "ReserveNow", reserve(2, 7, "OTHER"), "Accepted")
        .given(RESERVED).then("StatusNotification:1:Available", "StatusNotification:2:Reserved"));
    r.add(row("CancelReservation", "CancelReservation", "{\"reservationId\":7}", "Accepted").given(RESERVED)
        .then("StatusNotification:1:Available"));
    r.add(row("CancelReservation unknown", "CancelReservation", "{\"reservationId\":8}", "Rejected").given(RESERVED));
    r.add(error("ReserveNow without the feature", "ReserveNow", reserve(1, 1, "T1"), "NotSupported").without(Feature.RESERVATION));
    // ---- SmartCharging
    r.add(row("SetChargingProfile TxDefault", "SetChargingProfile", setProfile(1, profile(1, "TxDefaultProfile", 0, "A", 2, 16)), "Accepted"));
    r.add(row("SetChargingProfile TxDefault on 0", "SetChargingProfile", setProfile(0, profile(1, "TxDefaultProfile", 0, "W", 1, 7000)), "Accepted"));
    r.add(row("SetChargingProfile TxProfile without a transaction", "SetChargingProfile", setProfile(1, profile(1, "TxProfile", 0, "A", 1, 16)), "Rejected"));
    r.add(row("SetChargingProfile TxProfile on 0", "SetChargingProfile", setProfile(0, profile(1, "TxProfile", 0, "A", 1, 16)), "Rejected").given(CHARGING));
    r.add(row("SetChargingProfile TxProfile in a transaction", "SetChargingProfile", setProfile(1, profile(1, "TxProfile", 0, "A", 1, 16)), "Accepted").given(CHARGING));
    r.add(row("SetChargingProfile limit 0 suspends", "SetChargingProfile", setProfile(1, profile(1, "TxProfile", 0, "W", 1, 0)), "Accepted")
        .given(CHARGING).then("StatusNotification:1:SuspendedEVSE"));
    r.add(row("SetChargingProfile ChargePointMax on a connector", "SetChargingProfile", setProfile(1, profile(1, "ChargePointMaxProfile", 0, "W", 1, 7000)), "Rejected"));
    r.add(row("SetChargingProfile ChargePointMax on 0", "SetChargingProfile", setProfile(0, profile(1, "ChargePointMaxProfile", 0, "W", 1, 7000)), "Accepted"));
    r.add(row("SetChargingProfile stack level too high", "SetChargingProfile", setProfile(1, profile(1, "TxDefaultProfile", 11, "A", 1, 16)), "Rejected"));
    r.add(row("SetChargingProfile too many periods", "SetChargingProfile", setProfile(1, profile(1, "TxDefaultProfile", 0, "A", 25, 16)), "Rejected"));
    r.add(row("SetChargingProfile unknown connector", "SetChargingProfile", setProfile(9, profile(1, "TxDefaultProfile", 0, "A", 1, 16)), "Rejected"));
    Setup withProfile = f -> f.expect("SetChargingProfile", setProfile(1, profile(3, "TxDefaultProfile", 2, "A", 1, 16)), "Accepted");
    r.add(row("ClearChargingProfile by id", "ClearChargingProfile", "{\"id\":3}", "Accepted").given(withProfile));
    r.add(row("ClearChargingProfile by purpose and stack level", "ClearChargingProfile",
        "{\"chargingProfilePurpose\":\"TxDefaultProfile\",\"stackLevel\":2}", "Accepted").given(withProfile));
    r.add(row("ClearChargingProfile nothing matches", "ClearChargingProfile", "{\"connectorId\":2}", "Unknown").given(withProfile));
    r.add(row("ClearChargingProfile unknown id", "ClearChargingProfile", "{\"id\":99}", "Unknown"));
    r.add(row("GetCompositeSchedule without profiles", "GetCompositeSchedule", "{\"connectorId\":1,\"duration\":600,\"chargingRateUnit\":\"W\"}", "Accepted")
        .checking(p -> p.path("chargingSchedule").path("chargingSchedulePeriod").get(0).path("limit").asDouble() == 22000));
    r.add(row("GetCompositeSchedule with a profile", "GetCompositeSchedule", "{\"connectorId\":1,\"duration\":600}", "Accepted")
        .given(withProfile).checking(p -> p.path("chargingSchedule").path("chargingRateUnit").asString().equals("A")
            && p.path("chargingSchedule").path("chargingSchedulePeriod").get(0).path("limit").asDouble() == 16));
    r.add(row("GetCompositeSchedule unknown connector", "GetCompositeSchedule", "{\"connectorId\":9,\"duration\":600}", "Rejected"));
    r.add(error("SetChargingProfile without the feature", "SetChargingProfile", setProfile(1, profile(1, "TxDefaultProfile", 0, "A", 1, 16)), "NotSupported")
        .without(Feature.SMART_CHARGING));
    // ---- RemoteTrigger
    r.add(row("TriggerMessage BootNotification", "TriggerMessage", "{\"requestedMessage\":\"BootNotification\"}", "Accepted").then("BootNotification"));
    r.add(row("TriggerMessage Heartbeat", "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", "Accepted").then("Heartbeat"));
    r.add(row("TriggerMessage StatusNotification of one", "TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":1}", "Accepted")
        .then("StatusNotification:1:Available"));
    r.add(row("TriggerMessage StatusNotification of all", "TriggerMessage", "{\"requestedMessage\":\"StatusNotification\"}", "Accepted")
        .then("StatusNotification:0:Available", "StatusNotification:1:Available", "StatusNotification:2:Available"));
    r.add(row("TriggerMessage MeterValues", "TriggerMessage", "{\"requestedMessage\":\"MeterValues\",\"connectorId\":1}", "Accepted")
        .given(CHARGING).then("MeterValues"));
    r.add(row("TriggerMessage DiagnosticsStatusNotification", "TriggerMessage", "{\"requestedMessage\":\"DiagnosticsStatusNotification\"}", "Accepted")
        .then("DiagnosticsStatusNotification:Idle"));
    r.add(row("TriggerMessage FirmwareStatusNotification", "TriggerMessage", "{\"requestedMessage\":\"FirmwareStatusNotification\"}", "Accepted")
        .then("FirmwareStatusNotification:Idle"));
    r.add(row("TriggerMessage unknown connector", "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":9}", "Rejected"));
    r.add(row("TriggerMessage unknown message", "TriggerMessage", "{\"requestedMessage\":\"Coffee\"}", "NotImplemented").lax());
    r.add(error("TriggerMessage without the feature", "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", "NotSupported")
        .without(Feature.REMOTE_TRIGGER));
    // ---- Security extension
    r.add(row("ExtendedTriggerMessage SignChargePointCertificate", "ExtendedTriggerMessage",
        "{\"requestedMessage\":\"SignChargePointCertificate\"}", "Accepted").then("SignCertificate"));
    r.add(row("ExtendedTriggerMessage LogStatusNotification", "ExtendedTriggerMessage",
        "{\"requestedMessage\":\"LogStatusNotification\"}", "Accepted").then("LogStatusNotification:Idle"));
    r.add(row("ExtendedTriggerMessage FirmwareStatusNotification", "ExtendedTriggerMessage",
        "{\"requestedMessage\":\"FirmwareStatusNotification\"}", "Accepted").then("SignedFirmwareStatusNotification:Idle"));
    r.add(row("ExtendedTriggerMessage StatusNotification", "ExtendedTriggerMessage",
        "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":2}", "Accepted").then("StatusNotification:2:Available"));
    r.add(row("ExtendedTriggerMessage unknown connector", "ExtendedTriggerMessage",
        "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":9}", "Rejected"));
    r.add(row("GetLog", "GetLog", "{\"logType\":\"SecurityLog\",\"requestId\":5,\"log\":{\"remoteLocation\":\"https://logs.example/\"}}", "Accepted")
        .checking(p -> p.path("filename").asString().startsWith("security-log-CP16-"))
        .then("LogStatusNotification:Uploading", "LogStatusNotification:Uploaded"));
    r.add(row("GetLog unreachable", "GetLog", "{\"logType\":\"DiagnosticsLog\",\"requestId\":5,\"log\":{\"remoteLocation\":\"mailto:x@y\"}}", "Accepted")
        .then("LogStatusNotification:Uploading", "LogStatusNotification:UploadFailure"));
    List<String> signed = new ArrayList<>(List.of("SignedFirmwareStatusNotification:Downloading", "SignedFirmwareStatusNotification:Downloaded",
        "SignedFirmwareStatusNotification:SignatureVerified", "SignedFirmwareStatusNotification:Installing",
        "SignedFirmwareStatusNotification:InstallRebooting"));
    signed.addAll(Arrays.asList(BOOT));
    signed.addAll(List.of("SignedFirmwareStatusNotification:Installed", "SecurityEventNotification"));
    r.add(row("SignedUpdateFirmware", "SignedUpdateFirmware", signedFirmware("https://fw.example/fw-3.1.bin", ChargePoint16Fixture.CERT, "c2ln"), "Accepted")
        .then(signed.toArray(String[]::new)));
    r.add(row("SignedUpdateFirmware bad certificate", "SignedUpdateFirmware", signedFirmware("https://fw/fw.bin", "not a certificate", "c2ln"),
        "InvalidCertificate").then("SecurityEventNotification"));
    r.add(row("SignedUpdateFirmware empty signature", "SignedUpdateFirmware", signedFirmware("https://fw/fw.bin", ChargePoint16Fixture.CERT, ""),
        "Accepted").then("SignedFirmwareStatusNotification:Downloading", "SignedFirmwareStatusNotification:Downloaded",
            "SignedFirmwareStatusNotification:InvalidSignature", "SecurityEventNotification"));
    r.add(row("InstallCertificate", "InstallCertificate", INSTALL_ROOT, "Accepted"));
    r.add(row("InstallCertificate not a certificate", "InstallCertificate",
        "{\"certificateType\":\"ManufacturerRootCertificate\",\"certificate\":\"garbage\"}", "Rejected"));
    r.add(row("GetInstalledCertificateIds none", "GetInstalledCertificateIds", "{\"certificateType\":\"CentralSystemRootCertificate\"}", "NotFound"));
    r.add(row("GetInstalledCertificateIds after install", "GetInstalledCertificateIds", "{\"certificateType\":\"CentralSystemRootCertificate\"}", "Accepted")
        .given(f -> f.expect("InstallCertificate", INSTALL_ROOT, "Accepted"))
        .checking(p -> p.path("certificateHashData").get(0).path("hashAlgorithm").asString().equals("SHA256")));
    r.add(row("DeleteCertificate unknown", "DeleteCertificate", hashData("01"), "NotFound"));
    r.add(row("CertificateSigned not a certificate", "CertificateSigned", "{\"certificateChain\":\"garbage\"}", "Rejected")
        .then("SecurityEventNotification"));
    r.add(row("CertificateSigned", "CertificateSigned",
        "{\"certificateChain\":\"" + ChargePoint16Fixture.CERT.replace("\n", "\\n") + "\"}", "Accepted"));
    r.add(error("InstallCertificate without Security", "InstallCertificate", INSTALL_ROOT, "NotSupported").without(Feature.SECURITY));
    return r.stream();
  }

  static List<String> keys(JsonNode p) {
    List<String> keys = new ArrayList<>();
    p.path("configurationKey").forEach(k -> keys.add(k.path("key").asString()));
    return keys;
  }

  static String value(JsonNode p, String key) {
    for (JsonNode k : p.path("configurationKey")) {
      if (k.path("key").asString().equals(key)) {
        return k.path("value").asString();
      }
    }
    return null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void operation(Row row) throws Exception {
    try (ChargePoint16Fixture f = ChargePoint16Fixture.started(row.strict(), row.profile())) {
      row.setup().run(f);
      f.settle();
      Frame answer = f.call(row.action(), row.payload());
      if (row.errorCode() != null) {
        assertThat(answer.messageType()).as(answer.text()).isEqualTo(4);
        assertThat(answer.errorCode()).isEqualTo(row.errorCode());
      } else {
        assertThat(answer.messageType()).as(answer.text()).isEqualTo(3);
        if (row.status() != null) {
          assertThat(answer.payload().path("status").asString()).as(answer.text()).isEqualTo(row.status());
        }
        if (row.check() != null) {
          assertThat(row.check().test(answer.payload())).as("answer " + answer.text()).isTrue();
        }
      }
      f.awaitFollowUps(answer, row.followUps());
      f.cp.idle().get();
      if (row.followUps().isEmpty()) {
        assertThat(f.callsAfter(answer)).as("no follow-up").isEmpty();
      }
      f.assertSchemaValid();
    }
  }
}
