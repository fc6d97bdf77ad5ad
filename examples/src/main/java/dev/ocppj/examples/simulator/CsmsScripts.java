package dev.ocppj.examples.simulator;

import static dev.ocppj.examples.simulator.Json.object;

import dev.ocppj.client.OcppVersion;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the embedded CSMS does to each charge point after its session (the {@code csms} step):
 * the calls a real CSMS makes, each answer checked, and the messages that must follow it waited
 * for — configuration, triggers, availability, reservation, local list, smart charging, a remote
 * start and stop, then a reset after which the charge point boots again.
 */
final class CsmsScripts {
  private CsmsScripts() {}

  static CompletableFuture<Void> exercise(OcppVersion version, CsmsSession csms) {
    return version == OcppVersion.V1_6 ? ocpp16(csms) : ocpp2(csms);
  }

  private static CompletableFuture<Void> ocpp16(CsmsSession csms) {
    ObjectNode keys = object();
    keys.putArray("key").add("HeartbeatInterval").add("NoSuchKey");
    ObjectNode reserve = object().put("connectorId", 1).put("expiryDate", inAnHour()).put("idTag", "RESERVED-1").put("reservationId", 1);
    ObjectNode list = object().put("listVersion", 3).put("updateType", "Full");
    list.putArray("localAuthorizationList").addObject().put("idTag", "LOCAL-1").putObject("idTagInfo").put("status", "Accepted");
    return csms.call("GetConfiguration", keys)
        .thenCompose(a -> {
          csms.require(
              a.path("configurationKey").path(0).path("key").asString("").equals("HeartbeatInterval")
                  && a.path("unknownKey").path(0).asString("").equals("NoSuchKey"),
              "GetConfiguration returns HeartbeatInterval and names NoSuchKey unknown", a);
          return csms.call("ChangeConfiguration", object().put("key", "HeartbeatInterval").put("value", "120"), "Accepted");
        })
        .thenCompose(a -> csms.call("ChangeConfiguration", object().put("key", "NumberOfConnectors").put("value", "9"), "Rejected"))
        .thenCompose(a -> csms.call(
            "TriggerMessage", object().put("requestedMessage", "StatusNotification").put("connectorId", 1), "Accepted",
            "StatusNotification", status16(1, "Available")))
        .thenCompose(a -> csms.call(
            "ChangeAvailability", object().put("connectorId", 1).put("type", "Inoperative"), "Accepted",
            "StatusNotification", status16(1, "Unavailable")))
        .thenCompose(a -> csms.call(
            "ChangeAvailability", object().put("connectorId", 1).put("type", "Operative"), "Accepted",
            "StatusNotification", status16(1, "Available")))
        .thenCompose(a -> csms.call("ReserveNow", reserve, "Accepted", "StatusNotification", status16(1, "Reserved")))
        .thenCompose(a -> csms.call(
            "CancelReservation", object().put("reservationId", 1), "Accepted", "StatusNotification", status16(1, "Available")))
        .thenCompose(a -> csms.call("SendLocalList", list, "Accepted"))
        .thenCompose(a -> csms.call("GetLocalListVersion", object()))
        .thenCompose(a -> {
          csms.require(a.path("listVersion").asInt() == 3, "GetLocalListVersion answers the version just sent, 3", a);
          return csms.call("GetCompositeSchedule", object().put("connectorId", 1).put("duration", 3600), "Accepted");
        })
        .thenCompose(a -> csms.call("UnlockConnector", object().put("connectorId", 1), "Unlocked"))
        .thenCompose(a -> csms.call(
            "RemoteStartTransaction", object().put("idTag", "REMOTE-1").put("connectorId", 1), "Accepted",
            "StartTransaction", r -> r.path("idTag").asString("").equals("REMOTE-1")))
        .thenCompose(started -> {
          long id = started.answer().path("transactionId").asLong();
          return csms.call(
              "RemoteStopTransaction", object().put("transactionId", id), "Accepted",
              "StopTransaction", r -> r.path("transactionId").asLong() == id);
        })
        .thenCompose(stopped -> {
          csms.require(stopped.request().path("reason").asString("").equals("Remote"),
              "a remotely stopped transaction stops for reason Remote", stopped.request());
          return csms.call("Reset", object().put("type", "Soft"), "Accepted", "BootNotification", r -> true);
        })
        .thenApply(booted -> null);
  }

  private static CompletableFuture<Void> ocpp2(CsmsSession csms) {
    ObjectNode get = object();
    get.putArray("getVariableData").add(variable("OCPPCommCtrlr", "HeartbeatInterval")).add(variable("NoSuchCtrlr", "Foo"));
    ObjectNode set = object();
    set.putArray("setVariableData")
        .add(variable("OCPPCommCtrlr", "HeartbeatInterval").put("attributeValue", "120"))
        .add(variable("ChargingStation", "Model").put("attributeValue", "Other"));
    ObjectNode trigger = object().put("requestedMessage", "StatusNotification");
    trigger.putObject("evse").put("id", 1).put("connectorId", 1);
    ObjectNode reserve = object().put("id", 1).put("expiryDateTime", inAnHour()).put("evseId", 1);
    reserve.putObject("idToken").put("idToken", "0400000000BEEF").put("type", "ISO14443");
    ObjectNode start = object().put("remoteStartId", 7).put("evseId", 1);
    start.putObject("idToken").put("idToken", "REMOTE-1").put("type", "Central");
    return csms.call("GetVariables", get)
        .thenCompose(a -> {
          JsonNode r = a.path("getVariableResult");
          csms.require(
              r.path(0).path("attributeStatus").asString("").equals("Accepted") && r.path(0).has("attributeValue")
                  && r.path(1).path("attributeStatus").asString("").equals("UnknownComponent"),
              "GetVariables returns HeartbeatInterval and names NoSuchCtrlr unknown", a);
          return csms.call("SetVariables", set);
        })
        .thenCompose(a -> {
          JsonNode r = a.path("setVariableResult");
          csms.require(
              r.path(0).path("attributeStatus").asString("").equals("Accepted")
                  && r.path(1).path("attributeStatus").asString("").equals("Rejected"),
              "SetVariables accepts HeartbeatInterval and rejects the read-only Model", a);
          return csms.call("GetBaseReport", object().put("requestId", 11).put("reportBase", "FullInventory"), "Accepted",
              "NotifyReport", report -> report.path("requestId").asInt() == 11 && !report.path("tbc").asBoolean(false));
        })
        .thenCompose(a -> csms.call("TriggerMessage", trigger, "Accepted", "StatusNotification", status2(1, "Available")))
        .thenCompose(a -> csms.call(
            "ChangeAvailability", availability("Inoperative", 1), "Accepted", "StatusNotification", status2(1, "Unavailable")))
        .thenCompose(a -> csms.call(
            "ChangeAvailability", availability("Operative", 1), "Accepted", "StatusNotification", status2(1, "Available")))
        .thenCompose(a -> csms.call("ReserveNow", reserve, "Accepted", "StatusNotification", status2(1, "Reserved")))
        .thenCompose(a -> csms.call(
            "CancelReservation", object().put("reservationId", 1), "Accepted", "StatusNotification", status2(1, "Available")))
        .thenCompose(a -> csms.call("GetCompositeSchedule", object().put("evseId", 1).put("duration", 3600), "Accepted"))
        .thenCompose(a -> csms.call("UnlockConnector", object().put("evseId", 1).put("connectorId", 1), "Unlocked"))
        .thenCompose(a -> csms.call(
            "RequestStartTransaction", start, "Accepted", "TransactionEvent",
            r -> r.path("eventType").asString("").equals("Started")
                && r.path("transactionInfo").path("remoteStartId").asInt() == 7))
        .thenCompose(started -> {
          String id = started.request().path("transactionInfo").path("transactionId").asString();
          return csms.call(
              "RequestStopTransaction", object().put("transactionId", id), "Accepted", "TransactionEvent",
              r -> r.path("eventType").asString("").equals("Ended")
                  && r.path("transactionInfo").path("transactionId").asString("").equals(id));
        })
        .thenCompose(stopped -> {
          csms.require(
              stopped.request().path("transactionInfo").path("stoppedReason").asString("").equals("Remote"),
              "a remotely stopped transaction ends for reason Remote", stopped.request());
          return csms.call("Reset", object().put("type", "Immediate"), "Accepted", "BootNotification",
              r -> r.path("reason").asString("").equals("RemoteReset"));
        })
        .thenApply(booted -> null);
  }

  private static String inAnHour() {
    return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Predicate<JsonNode> status16(int connector, String status) {
    return r -> r.path("connectorId").asInt() == connector && r.path("status").asString("").equals(status);
  }

  private static Predicate<JsonNode> status2(int evse, String status) {
    return r -> r.path("evseId").asInt() == evse && r.path("connectorStatus").asString("").equals(status);
  }

  private static ObjectNode variable(String component, String variable) {
    ObjectNode item = object();
    item.putObject("component").put("name", component);
    item.putObject("variable").put("name", variable);
    return item;
  }

  private static ObjectNode availability(String status, int evse) {
    ObjectNode change = object().put("operationalStatus", status);
    change.putObject("evse").put("id", evse);
    return change;
  }
}
