package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every CSMS-to-station operation of OCPP 2.0.1 and 2.1, row by row: a fresh station (strict
 * mode both ways), an optional setup, the call, the answer expected (fields by JSON pointer, or
 * a CALLERROR code) and the follow-up messages expected in order ("Action" or "Action:status").
 */
class ChargingStation2OperationsTest {
  private static final Set<OcppVersion> BOTH = EnumSet.of(OcppVersion.V2_0_1, OcppVersion.V2_1);
  private static final Set<OcppVersion> V21 = EnumSet.of(OcppVersion.V2_1);
  private static String pem;

  /** A setup step before the call under test. */
  interface Setup {
    void run(ChargingStation2Fixture f) throws Exception;
  }

  record Row(String name, Set<OcppVersion> versions, Set<Feature> without, Setup setup, String action, String payload,
      Map<String, String> expect, String error, List<String> followUps) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Row> ROWS = new ArrayList<>();

  private static Builder row(String name) {
    return new Builder(name);
  }

  /** Fluent row construction. */
  static final class Builder {
    private final String name;
    private Set<OcppVersion> versions = BOTH;
    private final Set<Feature> without = EnumSet.noneOf(Feature.class);
    private final List<Setup> setups = new ArrayList<>();
    private String action;
    private String payload = "{}";
    private final Map<String, String> expect = new LinkedHashMap<>();
    private String error;
    private final List<String> followUps = new ArrayList<>();

    Builder(String name) {
      this.name = name;
    }

    Builder v21() {
      versions = V21;
      return this;
    }

    Builder without(Feature f) {
      without.add(f);
      return this;
    }

    Builder given(Setup s) {
      setups.add(s);
      return this;
    }

    Builder call(String action, String payload) {
      this.action = action;
      this.payload = payload;
      return this;
    }

    Builder status(String status) {
      expect.put("/status", status);
      return this;
    }

    Builder expect(String pointer, String value) {
      expect.put(pointer, value);
      return this;
    }

    void error(String code) {
      this.error = code;
      done();
    }

    void then(String... followUps) {
      this.followUps.addAll(List.of(followUps));
      done();
    }

    private void done() {
      List<Setup> all = List.copyOf(setups);
      ROWS.add(new Row(name, versions, without, f -> {
        for (Setup s : all) {
          s.run(f);
        }
      }, action, payload, expect, error, List.copyOf(followUps)));
    }
  }

  // ---- setups

  private static Setup tx(int evse) {
    return f -> {
      f.station.plugIn(evse).get(10, TimeUnit.SECONDS);
      f.station.presentToken(evse, IdToken.iso14443(7)).get(10, TimeUnit.SECONDS);
      f.csms.awaitCall("StatusNotification");
      f.csms.awaitCall("TransactionEvent");
      f.csms.awaitCall("Authorize");
      f.csms.awaitCall("TransactionEvent");
    };
  }

  private static Setup plug(int evse) {
    return f -> {
      f.station.plugIn(evse).get(10, TimeUnit.SECONDS);
      f.csms.awaitCall("StatusNotification");
      f.csms.awaitCall("TransactionEvent");
    };
  }

  private static Setup fault(int evse) {
    return f -> {
      f.station.fault(evse, "GroundFailure").get(10, TimeUnit.SECONDS);
      f.csms.awaitCall("StatusNotification");
    };
  }

  private static Setup pre(String action, String payload, String... followUps) {
    return f -> {
      Frame answer = f.call(action, TestCsms.json(fill(payload, f)));
      assertThat(answer.messageType()).as(action + " in setup: " + answer.text()).isEqualTo(3);
      for (String a : followUps) {
        f.csms.awaitCall(a);
      }
      f.idle();
    };
  }

  private static String fill(String payload, ChargingStation2Fixture f) {
    String tx = f.station.transactionId(1);
    String future = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).withNano(0).toInstant().toString(); // Instant.toString keeps ":00" seconds
    return payload.replace("$TX1", tx == null ? "none" : tx).replace("$FUTURE", future).replace("$PEM", pem);
  }

  private static final String TOKEN = "{\"idToken\":\"04A1B2C3D4E5F6\",\"type\":\"ISO14443\"}";
  private static final String TX_DEFAULT = """
      {"evseId":0,"chargingProfile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile",
       "chargingProfileKind":"Absolute","chargingSchedule":[{"id":1,"startSchedule":"2024-01-01T00:00:00Z",
       "chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}]}}""";
  private static final String TX_PROFILE = """
      {"evseId":1,"chargingProfile":{"id":2,"stackLevel":1,"chargingProfilePurpose":"TxProfile",
       "chargingProfileKind":"Relative","chargingSchedule":[{"id":1,"chargingRateUnit":"W",
       "chargingSchedulePeriod":[{"startPeriod":0,"limit":7000}]}]}}""";
  private static final String STATION_MAX_ON_EVSE = """
      {"evseId":1,"chargingProfile":{"id":3,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile",
       "chargingProfileKind":"Relative","chargingSchedule":[{"id":1,"chargingRateUnit":"W",
       "chargingSchedulePeriod":[{"startPeriod":0,"limit":7000}]}]}}""";
  private static final String DISPLAY = """
      {"message":{"id":5,"priority":"NormalCycle","message":{"format":"ASCII","content":"Hello"}}}""";
  private static final String MONITOR = """
      {"setMonitoringData":[{"value":600,"type":"UpperThreshold","severity":5,
        "component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""";
  private static final String TARIFF = """
      {"tariffId":"T1","currency":"EUR","energy":{"prices":[{"priceKwh":0.3}]}}""";
  private static final String DER = """
      {"isDefault":false,"controlId":"G1","controlType":"Gradients",
       "gradient":{"priority":1,"gradient":10,"softGradient":5}}""";

  static {
    // Provisioning (B)
    row("GetVariables HeartbeatInterval").call("GetVariables", """
        {"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""")
        .expect("/getVariableResult/0/attributeStatus", "Accepted").expect("/getVariableResult/0/attributeValue", "300").then();
    row("GetVariables EVSE 2 connector 2 AvailabilityState").call("GetVariables", """
        {"getVariableData":[{"component":{"name":"Connector","evse":{"id":2,"connectorId":2}},"variable":{"name":"AvailabilityState"}}]}""")
        .expect("/getVariableResult/0/attributeValue", "Available").then();
    row("GetVariables unknown component").call("GetVariables", """
        {"getVariableData":[{"component":{"name":"NoSuchCtrlr"},"variable":{"name":"X"}}]}""")
        .expect("/getVariableResult/0/attributeStatus", "UnknownComponent").then();
    row("GetVariables unknown EVSE").call("GetVariables", """
        {"getVariableData":[{"component":{"name":"EVSE","evse":{"id":9}},"variable":{"name":"Power"}}]}""")
        .expect("/getVariableResult/0/attributeStatus", "UnknownComponent").then();
    row("GetVariables unknown variable").call("GetVariables", """
        {"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"NoSuchVariable"}}]}""")
        .expect("/getVariableResult/0/attributeStatus", "UnknownVariable").then();
    row("GetVariables MaxSet").call("GetVariables", """
        {"getVariableData":[{"attributeType":"MaxSet","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""")
        .expect("/getVariableResult/0/attributeStatus", "NotSupportedAttributeType").then();
    row("GetVariables WriteOnly").call("GetVariables", """
        {"getVariableData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}""")
        .expect("/getVariableResult/0/attributeStatus", "Rejected").then();
    row("GetVariables more than ItemsPerMessage").call("GetVariables", "{\"getVariableData\":["
        + String.join(",", java.util.Collections.nCopies(51,
            "{\"component\":{\"name\":\"OCPPCommCtrlr\"},\"variable\":{\"name\":\"HeartbeatInterval\"}}")) + "]}")
        .error("OccurrenceConstraintViolation");
    row("SetVariables HeartbeatInterval").call("SetVariables", """
        {"setVariableData":[{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""")
        .expect("/setVariableResult/0/attributeStatus", "Accepted").then();
    row("SetVariables ReadOnly").call("SetVariables", """
        {"setVariableData":[{"attributeValue":"X","component":{"name":"ChargingStation"},"variable":{"name":"Model"}}]}""")
        .expect("/setVariableResult/0/attributeStatus", "Rejected").then();
    row("SetVariables not an integer").call("SetVariables", """
        {"setVariableData":[{"attributeValue":"soon","component":{"name":"TxCtrlr"},"variable":{"name":"EVConnectionTimeOut"}}]}""")
        .expect("/setVariableResult/0/attributeStatus", "Rejected").then();
    row("SetVariables not in valuesList").call("SetVariables", """
        {"setVariableData":[{"attributeValue":"Bogus","component":{"name":"TxCtrlr"},"variable":{"name":"TxStartPoint"}}]}""")
        .expect("/setVariableResult/0/attributeStatus", "Rejected").then();
    row("SetVariables SecurityProfile needs a reboot").call("SetVariables", """
        {"setVariableData":[{"attributeValue":"2","component":{"name":"SecurityCtrlr"},"variable":{"name":"SecurityProfile"}}]}""")
        .expect("/setVariableResult/0/attributeStatus", "RebootRequired").then();
    row("SetVariables unknown component").call("SetVariables", """
        {"setVariableData":[{"attributeValue":"1","component":{"name":"NoSuchCtrlr"},"variable":{"name":"X"}}]}""")
        .expect("/setVariableResult/0/attributeStatus", "UnknownComponent").then();
    row("SetVariables Target").call("SetVariables", """
        {"setVariableData":[{"attributeType":"Target","attributeValue":"1","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""")
        .expect("/setVariableResult/0/attributeStatus", "NotSupportedAttributeType").then();
    row("SetVariables missing attributeValue").call("SetVariables", """
        {"setVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""")
        .error("OccurrenceConstraintViolation");
    row("GetBaseReport ConfigurationInventory").call("GetBaseReport", "{\"requestId\":1,\"reportBase\":\"ConfigurationInventory\"}")
        .status("Accepted").then("NotifyReport", "NotifyReport");
    row("GetBaseReport SummaryInventory").call("GetBaseReport", "{\"requestId\":2,\"reportBase\":\"SummaryInventory\"}")
        .status("Accepted").then("NotifyReport");
    row("GetReport one component").call("GetReport", """
        {"requestId":3,"componentVariable":[{"component":{"name":"TxCtrlr"}}]}""").status("Accepted").then("NotifyReport");
    row("GetReport nothing matches").call("GetReport", """
        {"requestId":4,"componentVariable":[{"component":{"name":"NoSuchCtrlr"}}]}""").status("EmptyResultSet").then();
    row("GetReport criterion Problem").call("GetReport", "{\"requestId\":5,\"componentCriteria\":[\"Problem\"]}")
        .status("EmptyResultSet").then();
    row("SetNetworkProfile slot 1").call("SetNetworkProfile", """
        {"configurationSlot":1,"connectionData":{"ocppVersion":"OCPP20","ocppTransport":"JSON","ocppCsmsUrl":"wss://csms.example/ocpp",
         "messageTimeout":30,"securityProfile":1,"ocppInterface":"Wired0"}}""").status("Accepted").then();
    row("SetNetworkProfile unknown slot").call("SetNetworkProfile", """
        {"configurationSlot":9,"connectionData":{"ocppVersion":"OCPP20","ocppTransport":"JSON","ocppCsmsUrl":"wss://csms.example/ocpp",
         "messageTimeout":30,"securityProfile":1,"ocppInterface":"Wired0"}}""").status("Rejected").then();
    row("Reset Immediate").call("Reset", "{\"type\":\"Immediate\"}").status("Accepted")
        .then("BootNotification", "StatusNotification", "StatusNotification", "StatusNotification");
    row("Reset OnIdle during a transaction").given(tx(1)).call("Reset", "{\"type\":\"OnIdle\"}").status("Scheduled").then();
    row("Reset unknown EVSE").call("Reset", "{\"type\":\"Immediate\",\"evseId\":9}").status("Rejected").then();
    row("Reset EVSE with a transaction").given(tx(1)).call("Reset", "{\"type\":\"Immediate\",\"evseId\":1}")
        .status("Accepted").then("TransactionEvent:Ended");
    row("Reset missing type").call("Reset", "{}").error("OccurrenceConstraintViolation");

    // Authorization, local list, reservation (C, D, H)
    row("ClearCache").call("ClearCache", "{}").status("Accepted").then();
    row("ClearCache with the cache disabled").given(pre("SetVariables", """
        {"setVariableData":[{"attributeValue":"false","component":{"name":"AuthCacheCtrlr"},"variable":{"name":"Enabled"}}]}"""))
        .call("ClearCache", "{}").status("Rejected").then();
    row("SendLocalList Full").call("SendLocalList", "{\"versionNumber\":3,\"updateType\":\"Full\",\"localAuthorizationList\":[{\"idToken\":"
        + TOKEN + ",\"idTokenInfo\":{\"status\":\"Accepted\"}}]}").status("Accepted").then();
    row("SendLocalList Differential not newer").call("SendLocalList", "{\"versionNumber\":0,\"updateType\":\"Differential\"}")
        .status("VersionMismatch").then();
    row("GetLocalListVersion after a list").given(pre("SendLocalList", "{\"versionNumber\":3,\"updateType\":\"Full\"}"))
        .call("GetLocalListVersion", "{}").expect("/versionNumber", "3").then();
    row("GetLocalListVersion without the feature").without(Feature.LOCAL_AUTH_LIST_MANAGEMENT)
        .call("GetLocalListVersion", "{}").error("NotSupported");
    row("ReserveNow EVSE 1").call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + ",\"evseId\":1}")
        .status("Accepted").then("StatusNotification:Reserved");
    row("ReserveNow any EVSE").call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + "}")
        .status("Accepted").then("StatusNotification:Reserved");
    row("ReserveNow unknown EVSE").call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + ",\"evseId\":9}")
        .status("Rejected").then();
    row("ReserveNow occupied").given(plug(1))
        .call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + ",\"evseId\":1}").status("Occupied").then();
    row("ReserveNow faulted").given(fault(1))
        .call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + ",\"evseId\":1}").status("Faulted").then();
    row("ReserveNow unavailable").given(pre("ChangeAvailability", "{\"operationalStatus\":\"Inoperative\",\"evse\":{\"id\":1}}", "StatusNotification"))
        .call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + ",\"evseId\":1}").status("Unavailable").then();
    row("ReserveNow expiry in the past").call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"2020-01-01T00:00:00Z\",\"idToken\":" + TOKEN + "}")
        .status("Rejected").then();
    row("ReserveNow without the feature").without(Feature.RESERVATION)
        .call("ReserveNow", "{\"id\":1,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + "}").error("NotSupported");
    row("CancelReservation").given(pre("ReserveNow", "{\"id\":7,\"expiryDateTime\":\"$FUTURE\",\"idToken\":" + TOKEN + ",\"evseId\":1}", "StatusNotification"))
        .call("CancelReservation", "{\"reservationId\":7}").status("Accepted").then("StatusNotification:Available");
    row("CancelReservation unknown").call("CancelReservation", "{\"reservationId\":7}").status("Rejected").then();
    row("CustomerInformation report").call("CustomerInformation", "{\"requestId\":1,\"report\":true,\"clear\":false,\"idToken\":" + TOKEN + "}")
        .status("Accepted").then("NotifyCustomerInformation");
    row("CustomerInformation without identifier").call("CustomerInformation", "{\"requestId\":1,\"report\":true,\"clear\":false}")
        .status("Invalid").then();

    // Transactions and remote control (E, F, G)
    row("RequestStartTransaction").call("RequestStartTransaction", "{\"evseId\":1,\"remoteStartId\":42,\"idToken\":" + TOKEN + "}")
        .status("Accepted").then("TransactionEvent:Started");
    row("RequestStartTransaction any EVSE").call("RequestStartTransaction", "{\"remoteStartId\":42,\"idToken\":" + TOKEN + "}")
        .status("Accepted").then("TransactionEvent:Started");
    row("RequestStartTransaction cable first").given(plug(1))
        .call("RequestStartTransaction", "{\"evseId\":1,\"remoteStartId\":42,\"idToken\":" + TOKEN + "}")
        .status("Accepted").then("TransactionEvent:Updated");
    row("RequestStartTransaction with a TxProfile").call("RequestStartTransaction", "{\"evseId\":1,\"remoteStartId\":42,\"idToken\":" + TOKEN
        + ",\"chargingProfile\":" + TestCsms.json(TX_PROFILE).path("chargingProfile") + "}").status("Accepted").then("TransactionEvent:Started");
    row("RequestStartTransaction with a TxDefaultProfile").call("RequestStartTransaction", "{\"evseId\":1,\"remoteStartId\":42,\"idToken\":" + TOKEN
        + ",\"chargingProfile\":" + TestCsms.json(TX_DEFAULT).path("chargingProfile") + "}").status("Rejected").then();
    row("RequestStartTransaction unknown EVSE").call("RequestStartTransaction", "{\"evseId\":9,\"remoteStartId\":42,\"idToken\":" + TOKEN + "}")
        .status("Rejected").then();
    row("RequestStartTransaction faulted").given(fault(1))
        .call("RequestStartTransaction", "{\"evseId\":1,\"remoteStartId\":42,\"idToken\":" + TOKEN + "}").status("Rejected").then();
    row("RequestStartTransaction in use").given(tx(1))
        .call("RequestStartTransaction", "{\"evseId\":1,\"remoteStartId\":42,\"idToken\":" + TOKEN + "}").status("Rejected").then();
    row("RequestStartTransaction missing remoteStartId").call("RequestStartTransaction", "{\"evseId\":1,\"idToken\":" + TOKEN + "}")
        .error("OccurrenceConstraintViolation");
    row("RequestStopTransaction").given(tx(1)).call("RequestStopTransaction", "{\"transactionId\":\"$TX1\"}")
        .status("Accepted").then("TransactionEvent:Ended");
    row("RequestStopTransaction unknown").call("RequestStopTransaction", "{\"transactionId\":\"nope\"}").status("Rejected").then();
    row("GetTransactionStatus running").given(tx(1)).call("GetTransactionStatus", "{\"transactionId\":\"$TX1\"}")
        .expect("/ongoingIndicator", "true").expect("/messagesInQueue", "false").then();
    row("GetTransactionStatus unknown").call("GetTransactionStatus", "{\"transactionId\":\"nope\"}")
        .expect("/ongoingIndicator", "false").then();
    row("ChangeAvailability station").call("ChangeAvailability", "{\"operationalStatus\":\"Inoperative\"}").status("Accepted")
        .then("StatusNotification:Unavailable", "StatusNotification:Unavailable", "StatusNotification:Unavailable");
    row("ChangeAvailability connector").call("ChangeAvailability", "{\"operationalStatus\":\"Inoperative\",\"evse\":{\"id\":2,\"connectorId\":2}}")
        .status("Accepted").then("StatusNotification:Unavailable");
    row("ChangeAvailability during a transaction").given(tx(1))
        .call("ChangeAvailability", "{\"operationalStatus\":\"Inoperative\",\"evse\":{\"id\":1}}").status("Scheduled").then();
    row("ChangeAvailability unknown EVSE").call("ChangeAvailability", "{\"operationalStatus\":\"Inoperative\",\"evse\":{\"id\":9}}")
        .status("Rejected").then();
    row("ChangeAvailability unknown connector").call("ChangeAvailability", "{\"operationalStatus\":\"Inoperative\",\"evse\":{\"id\":1,\"connectorId\":5}}")
        .status("Rejected").then();
    row("UnlockConnector").call("UnlockConnector", "{\"evseId\":1,\"connectorId\":1}").status("Unlocked").then();
    row("UnlockConnector unknown").call("UnlockConnector", "{\"evseId\":9,\"connectorId\":1}").status("UnknownConnector").then();
    row("UnlockConnector during a transaction").given(tx(1))
        .call("UnlockConnector", "{\"evseId\":1,\"connectorId\":1}").status("OngoingAuthorizedTransaction").then();
    row("TriggerMessage Heartbeat").call("TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}").status("Accepted").then("Heartbeat");
    row("TriggerMessage StatusNotification").call("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"evse\":{\"id\":1,\"connectorId\":1}}")
        .status("Accepted").then("StatusNotification:Available");
    row("TriggerMessage BootNotification after boot").call("TriggerMessage", "{\"requestedMessage\":\"BootNotification\"}").status("Rejected").then();
    row("TriggerMessage MeterValues").call("TriggerMessage", "{\"requestedMessage\":\"MeterValues\",\"evse\":{\"id\":1}}")
        .status("Accepted").then("MeterValues");
    row("TriggerMessage TransactionEvent").given(tx(1)).call("TriggerMessage", "{\"requestedMessage\":\"TransactionEvent\",\"evse\":{\"id\":1}}")
        .status("Accepted").then("TransactionEvent:Updated");
    row("TriggerMessage TransactionEvent without one").call("TriggerMessage", "{\"requestedMessage\":\"TransactionEvent\"}").status("Rejected").then();
    row("TriggerMessage unknown EVSE").call("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"evse\":{\"id\":9}}").status("Rejected").then();
    row("TriggerMessage FirmwareStatusNotification").call("TriggerMessage", "{\"requestedMessage\":\"FirmwareStatusNotification\"}")
        .status("Accepted").then("FirmwareStatusNotification:Idle");
    row("TriggerMessage LogStatusNotification").call("TriggerMessage", "{\"requestedMessage\":\"LogStatusNotification\"}")
        .status("Accepted").then("LogStatusNotification:Idle");
    row("TriggerMessage SignChargingStationCertificate").call("TriggerMessage", "{\"requestedMessage\":\"SignChargingStationCertificate\"}")
        .status("Accepted").then("SignCertificate");
    row("TriggerMessage SignCombinedCertificate").call("TriggerMessage", "{\"requestedMessage\":\"SignCombinedCertificate\"}")
        .status("Accepted").then("SignCertificate", "SignCertificate");
    row("TriggerMessage PublishFirmwareStatusNotification").call("TriggerMessage", "{\"requestedMessage\":\"PublishFirmwareStatusNotification\"}")
        .status("NotImplemented").then();
    row("TriggerMessage without the feature").without(Feature.REMOTE_TRIGGER)
        .call("TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}").error("NotSupported");
    row("DataTransfer unknown vendor").call("DataTransfer", "{\"vendorId\":\"Other\"}").status("UnknownVendorId").then();
    row("DataTransfer own vendor").call("DataTransfer", "{\"vendorId\":\"VendorX\",\"messageId\":\"x\"}").status("UnknownMessageId").then();

    // Smart charging (K)
    row("SetChargingProfile TxDefaultProfile").call("SetChargingProfile", TX_DEFAULT).status("Accepted").then();
    row("SetChargingProfile TxProfile without a transaction").call("SetChargingProfile", TX_PROFILE).status("Rejected").then();
    row("SetChargingProfile TxProfile").given(tx(1)).call("SetChargingProfile", TX_PROFILE).status("Accepted").then();
    row("SetChargingProfile station max on an EVSE").call("SetChargingProfile", STATION_MAX_ON_EVSE).status("Rejected").then();
    row("SetChargingProfile without the feature").without(Feature.SMART_CHARGING).call("SetChargingProfile", TX_DEFAULT).error("NotSupported");
    row("GetChargingProfiles").given(pre("SetChargingProfile", TX_DEFAULT))
        .call("GetChargingProfiles", "{\"requestId\":1,\"chargingProfile\":{}}").status("Accepted").then("ReportChargingProfiles");
    row("GetChargingProfiles none").call("GetChargingProfiles", "{\"requestId\":1,\"chargingProfile\":{\"stackLevel\":3}}").status("NoProfiles").then();
    row("ClearChargingProfile").given(pre("SetChargingProfile", TX_DEFAULT)).call("ClearChargingProfile", "{\"chargingProfileId\":1}")
        .status("Accepted").then();
    row("ClearChargingProfile unknown").call("ClearChargingProfile", "{\"chargingProfileId\":99}").status("Unknown").then();
    row("GetCompositeSchedule").given(pre("SetChargingProfile", TX_DEFAULT))
        .call("GetCompositeSchedule", "{\"duration\":3600,\"evseId\":1,\"chargingRateUnit\":\"A\"}").status("Accepted")
        .expect("/schedule/chargingSchedulePeriod/0/limit", "16.0").then();
    row("GetCompositeSchedule unknown EVSE").call("GetCompositeSchedule", "{\"duration\":3600,\"evseId\":9}").status("Rejected").then();

    // Firmware, logs, certificates (L, N, A, M)
    row("UpdateFirmware bad scheme").call("UpdateFirmware", "{\"requestId\":3,\"firmware\":{\"location\":\"gopher://x/fw.bin\",\"retrieveDateTime\":\"2020-01-01T00:00:00Z\"}}")
        .status("Accepted").then("FirmwareStatusNotification:Downloading", "FirmwareStatusNotification:DownloadFailed");
    row("UpdateFirmware invalid certificate").call("UpdateFirmware", "{\"requestId\":3,\"firmware\":{\"location\":\"https://x/fw.bin\",\"retrieveDateTime\":\"2020-01-01T00:00:00Z\",\"signingCertificate\":\"junk\",\"signature\":\"c2ln\"}}")
        .status("InvalidCertificate").then();
    row("UpdateFirmware without the feature").without(Feature.FIRMWARE_MANAGEMENT)
        .call("UpdateFirmware", "{\"requestId\":3,\"firmware\":{\"location\":\"https://x/fw.bin\",\"retrieveDateTime\":\"2020-01-01T00:00:00Z\"}}").error("NotSupported");
    row("GetLog").call("GetLog", "{\"requestId\":4,\"logType\":\"DiagnosticsLog\",\"log\":{\"remoteLocation\":\"https://logs.example/up\"}}")
        .status("Accepted").then("LogStatusNotification:Uploading", "LogStatusNotification:Uploaded");
    row("GetLog bad scheme").call("GetLog", "{\"requestId\":4,\"logType\":\"DiagnosticsLog\",\"log\":{\"remoteLocation\":\"gopher://logs\"}}")
        .status("Accepted").then("LogStatusNotification:UploadFailure");
    row("PublishFirmware").call("PublishFirmware", "{\"location\":\"https://x/fw.bin\",\"checksum\":\"abc\",\"requestId\":1}").error("NotSupported");
    row("UnpublishFirmware").call("UnpublishFirmware", "{\"checksum\":\"abc\"}").error("NotSupported");
    row("InstallCertificate").call("InstallCertificate", "{\"certificateType\":\"CSMSRootCertificate\",\"certificate\":\"$PEM\"}").status("Accepted").then();
    row("InstallCertificate junk").call("InstallCertificate", "{\"certificateType\":\"CSMSRootCertificate\",\"certificate\":\"junk\"}").status("Rejected").then();
    row("GetInstalledCertificateIds").given(pre("InstallCertificate", "{\"certificateType\":\"CSMSRootCertificate\",\"certificate\":\"$PEM\"}"))
        .call("GetInstalledCertificateIds", "{\"certificateType\":[\"CSMSRootCertificate\"]}").status("Accepted")
        .expect("/certificateHashDataChain/0/certificateType", "CSMSRootCertificate").then();
    row("GetInstalledCertificateIds none").call("GetInstalledCertificateIds", "{}").status("NotFound").then();
    row("DeleteCertificate unknown").call("DeleteCertificate", "{\"certificateHashData\":{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"aa\",\"issuerKeyHash\":\"bb\",\"serialNumber\":\"01\"}}")
        .status("NotFound").then();
    row("CertificateSigned junk").call("CertificateSigned", "{\"certificateChain\":\"junk\"}").status("Rejected").then();
    row("CertificateSigned").call("CertificateSigned", "{\"certificateChain\":\"$PEM\",\"certificateType\":\"ChargingStationCertificate\"}").status("Accepted").then();
    row("InstallCertificate without the feature").without(Feature.SECURITY)
        .call("InstallCertificate", "{\"certificateType\":\"CSMSRootCertificate\",\"certificate\":\"junk\"}").error("NotSupported");

    // Monitoring (N)
    row("SetVariableMonitoring").call("SetVariableMonitoring", MONITOR).expect("/setMonitoringResult/0/status", "Accepted").then();
    row("SetVariableMonitoring duplicate").given(pre("SetVariableMonitoring", MONITOR))
        .call("SetVariableMonitoring", MONITOR).expect("/setMonitoringResult/0/status", "Duplicate").then();
    row("SetVariableMonitoring on a string").call("SetVariableMonitoring", """
        {"setMonitoringData":[{"value":1,"type":"UpperThreshold","severity":5,"component":{"name":"ChargingStation"},"variable":{"name":"Model"}}]}""")
        .expect("/setMonitoringResult/0/status", "UnsupportedMonitorType").then();
    row("SetVariableMonitoring unknown component").call("SetVariableMonitoring", """
        {"setMonitoringData":[{"value":1,"type":"Delta","severity":5,"component":{"name":"Nope"},"variable":{"name":"X"}}]}""")
        .expect("/setMonitoringResult/0/status", "UnknownComponent").then();
    row("SetVariableMonitoring bad severity").call("SetVariableMonitoring", MONITOR.replace("\"severity\":5", "\"severity\":12"))
        .expect("/setMonitoringResult/0/status", "Rejected").then();
    row("ClearVariableMonitoring unknown").call("ClearVariableMonitoring", "{\"id\":[99]}").expect("/clearMonitoringResult/0/status", "NotFound").then();
    row("ClearVariableMonitoring").given(pre("SetVariableMonitoring", MONITOR))
        .call("ClearVariableMonitoring", "{\"id\":[1]}").expect("/clearMonitoringResult/0/status", "Accepted").then();
    row("GetMonitoringReport").given(pre("SetVariableMonitoring", MONITOR))
        .call("GetMonitoringReport", "{\"requestId\":8}").status("Accepted").then("NotifyMonitoringReport");
    row("GetMonitoringReport none").call("GetMonitoringReport", "{\"requestId\":8}").status("EmptyResultSet").then();
    row("SetMonitoringBase").call("SetMonitoringBase", "{\"monitoringBase\":\"FactoryDefault\"}").status("Accepted").then();
    row("SetMonitoringLevel").call("SetMonitoringLevel", "{\"severity\":4}").status("Accepted").then();
    row("SetMonitoringLevel out of range").call("SetMonitoringLevel", "{\"severity\":10}").status("Rejected").then();
    row("SetMonitoringLevel without the feature").without(Feature.DIAGNOSTICS).call("SetMonitoringLevel", "{\"severity\":4}").error("NotSupported");

    // Display messages and cost (O, I)
    row("SetDisplayMessage").call("SetDisplayMessage", DISPLAY).status("Accepted").then();
    row("SetDisplayMessage HTML").call("SetDisplayMessage", DISPLAY.replace("ASCII", "HTML")).status("NotSupportedMessageFormat").then();
    row("SetDisplayMessage unknown transaction").call("SetDisplayMessage", """
        {"message":{"id":5,"priority":"NormalCycle","transactionId":"nope","message":{"format":"ASCII","content":"Hi"}}}""")
        .status("UnknownTransaction").then();
    row("SetDisplayMessage state Suspended").v21().call("SetDisplayMessage", """
        {"message":{"id":5,"priority":"NormalCycle","state":"Suspended","message":{"format":"ASCII","content":"Hi"}}}""")
        .status("NotSupportedState").then();
    row("GetDisplayMessages").given(pre("SetDisplayMessage", DISPLAY)).call("GetDisplayMessages", "{\"requestId\":2}")
        .status("Accepted").then("NotifyDisplayMessages");
    row("GetDisplayMessages none").call("GetDisplayMessages", "{\"requestId\":2}").status("Unknown").then();
    row("ClearDisplayMessage").given(pre("SetDisplayMessage", DISPLAY)).call("ClearDisplayMessage", "{\"id\":5}").status("Accepted").then();
    row("ClearDisplayMessage unknown").call("ClearDisplayMessage", "{\"id\":5}").status("Unknown").then();
    row("SetDisplayMessage without the feature").without(Feature.DISPLAY_MESSAGES).call("SetDisplayMessage", DISPLAY).error("NotSupported");
    row("CostUpdated").given(tx(1)).call("CostUpdated", "{\"totalCost\":1.5,\"transactionId\":\"$TX1\"}").then();

    // OCPP 2.1 additions
    row("SetDefaultTariff").v21().call("SetDefaultTariff", "{\"evseId\":0,\"tariff\":" + TARIFF + "}").status("Accepted").then();
    row("SetDefaultTariff unknown EVSE").v21().call("SetDefaultTariff", "{\"evseId\":9,\"tariff\":" + TARIFF + "}").status("Rejected").then();
    row("GetTariffs").v21().given(pre("SetDefaultTariff", "{\"evseId\":1,\"tariff\":" + TARIFF + "}"))
        .call("GetTariffs", "{\"evseId\":1}").status("Accepted").expect("/tariffAssignments/0/tariffId", "T1").then();
    row("GetTariffs none").v21().call("GetTariffs", "{\"evseId\":1}").status("NoTariff").then();
    row("ClearTariffs").v21().given(pre("SetDefaultTariff", "{\"evseId\":1,\"tariff\":" + TARIFF + "}"))
        .call("ClearTariffs", "{\"tariffIds\":[\"T1\"]}").expect("/clearTariffsResult/0/status", "Accepted").then();
    row("ClearTariffs none").v21().call("ClearTariffs", "{}").expect("/clearTariffsResult/0/status", "NoTariff").then();
    row("ChangeTransactionTariff").v21().given(tx(1))
        .call("ChangeTransactionTariff", "{\"transactionId\":\"$TX1\",\"tariff\":" + TARIFF + "}").status("Accepted").then("TransactionEvent:Updated");
    row("ChangeTransactionTariff unknown").v21()
        .call("ChangeTransactionTariff", "{\"transactionId\":\"nope\",\"tariff\":" + TARIFF + "}").status("TxNotFound").then();
    row("ChangeTransactionTariff other currency").v21().given(pre("SetDefaultTariff", "{\"evseId\":1,\"tariff\":" + TARIFF + "}")).given(tx(1))
        .call("ChangeTransactionTariff", "{\"transactionId\":\"$TX1\",\"tariff\":" + TARIFF.replace("EUR", "USD") + "}").status("NoCurrencyChange").then();
    row("NotifyWebPaymentStarted").v21().call("NotifyWebPaymentStarted", "{\"evseId\":1,\"timeout\":60}").then();
    row("SetDERControl").v21().call("SetDERControl", DER).status("Accepted").then();
    row("SetDERControl without the feature").v21().without(Feature.DER_CONTROL).call("SetDERControl", DER).error("NotSupported");
    row("GetDERControl").v21().given(pre("SetDERControl", DER)).call("GetDERControl", "{\"requestId\":1}")
        .status("Accepted").then("ReportDERControl");
    row("GetDERControl none").v21().call("GetDERControl", "{\"requestId\":1}").status("NotFound").then();
    row("ClearDERControl").v21().given(pre("SetDERControl", DER)).call("ClearDERControl", "{\"isDefault\":false,\"controlId\":\"G1\"}")
        .status("Accepted").then();
    row("ClearDERControl none").v21().call("ClearDERControl", "{\"isDefault\":true}").status("NotFound").then();
    row("AFRRSignal").v21().call("AFRRSignal", "{\"timestamp\":\"2024-01-01T00:00:00Z\",\"signal\":1}").status("Accepted").then();
    row("AFRRSignal without the feature").v21().without(Feature.BIDIRECTIONAL)
        .call("AFRRSignal", "{\"timestamp\":\"2024-01-01T00:00:00Z\",\"signal\":1}").error("NotSupported");
    row("NotifyAllowedEnergyTransfer").v21().given(tx(1))
        .call("NotifyAllowedEnergyTransfer", "{\"transactionId\":\"$TX1\",\"allowedEnergyTransfer\":[\"AC_three_phase\"]}").status("Accepted").then();
    row("NotifyAllowedEnergyTransfer unknown").v21()
        .call("NotifyAllowedEnergyTransfer", "{\"transactionId\":\"nope\",\"allowedEnergyTransfer\":[\"DC\"]}").status("Rejected").then();
    row("UpdateDynamicSchedule unknown").v21().call("UpdateDynamicSchedule", "{\"chargingProfileId\":5,\"scheduleUpdate\":{\"limit\":10}}")
        .status("Rejected").then();
    row("UsePriorityCharging no profile").v21().given(tx(1))
        .call("UsePriorityCharging", "{\"transactionId\":\"$TX1\",\"activate\":true}").status("NoProfile").then();
    row("UsePriorityCharging unknown").v21().call("UsePriorityCharging", "{\"transactionId\":\"nope\",\"activate\":true}").status("Rejected").then();
    row("RequestBatterySwap").v21().call("RequestBatterySwap", "{\"requestId\":1,\"idToken\":" + TOKEN + "}").status("Accepted").then();
    row("RequestBatterySwap without the feature").v21().without(Feature.BATTERY_SWAP)
        .call("RequestBatterySwap", "{\"requestId\":1,\"idToken\":" + TOKEN + "}").error("NotSupported");
    row("GetPeriodicEventStream").v21().call("GetPeriodicEventStream", "{}").then();
    row("AdjustPeriodicEventStream unknown").v21().call("AdjustPeriodicEventStream", "{\"id\":1,\"params\":{\"interval\":10}}")
        .status("Rejected").then();
    row("Reset ImmediateAndResume").v21().call("Reset", "{\"type\":\"ImmediateAndResume\"}").status("Accepted").then("BootNotification");
  }

  @BeforeAll
  static void certificate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    pem = ChargingStation2Fixture.certificatePem(dir).replace("\n", "\\n");
  }

  static Stream<Arguments> rows() {
    List<Arguments> out = new ArrayList<>();
    for (OcppVersion v : List.of(OcppVersion.V2_0_1, OcppVersion.V2_1)) {
      for (Row r : ROWS) {
        if (r.versions().contains(v)) {
          out.add(Arguments.of(v, r));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rows")
  void answersFromStateWithFollowUpsInOrder(OcppVersion version, Row row) throws Exception {
    StationProfile.Builder profile = ChargingStation2Fixture.profile();
    row.without().forEach(profile::without);
    try (ChargingStation2Fixture f = new ChargingStation2Fixture(version, profile.build()).boot()) {
      row.setup().run(f);
      Frame answer = f.call(row.action(), TestCsms.json(fill(row.payload(), f)));
      if (row.error() != null) {
        assertThat(answer.messageType()).as(answer.text()).isEqualTo(4);
        assertThat(answer.errorCode()).isEqualTo(row.error());
      } else {
        assertThat(answer.messageType()).as(answer.text()).isEqualTo(3);
        JsonNode payload = answer.payload();
        row.expect().forEach((pointer, value) ->
            assertThat(payload.at(pointer).asString()).as(pointer + " in " + answer.text()).isEqualTo(value));
      }
      int last = indexOf(f, answer.messageId(), false);
      for (String followUp : row.followUps()) {
        String[] parts = followUp.split(":");
        Frame frame = f.csms.awaitCall(parts[0]);
        if (parts.length > 1) {
          JsonNode p = frame.payload();
          String actual = parts[0].equals("TransactionEvent") ? p.path("eventType").asString()
              : parts[0].equals("StatusNotification") ? p.path("connectorStatus").asString() : p.path("status").asString();
          assertThat(actual).as(frame.text()).isEqualTo(parts[1]);
        }
        int at = indexOf(f, frame.messageId(), true);
        assertThat(at).as(followUp + " after the answer and the previous follow-up").isGreaterThan(last);
        last = at;
      }
      f.idle();
      if (row.error() != null) {
        // The CSMS broke the schema on purpose: the client's own check of that call is expected.
        f.failures.removeIf(x -> x.contains("phase=INCOMING_CALL"));
      }
      f.assertNoFailures();
    }
  }

  /** Where the station's frame with {@code messageId} (its CALL, or its answer) is in the transcript. */
  static int indexOf(ChargingStation2Fixture f, String messageId, boolean call) {
    List<Frame> t = f.csms.transcript();
    for (int i = 0; i < t.size(); i++) {
      Frame x = t.get(i);
      if (x.direction() == Frame.Direction.FROM_CHARGE_POINT && messageId.equals(x.messageId())
          && (x.messageType() == 2) == call) {
        return i;
      }
    }
    return -1;
  }
}
