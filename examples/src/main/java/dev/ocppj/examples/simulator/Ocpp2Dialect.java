package dev.ocppj.examples.simulator;

import static dev.ocppj.examples.simulator.Json.array;
import static dev.ocppj.examples.simulator.Json.now;
import static dev.ocppj.examples.simulator.Json.object;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.examples.simulator.Transaction.StopReason;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OCPP 2.0.1 and 2.1: device-model variables, one connector per EVSE, charge-point-assigned
 * transaction ids, and TransactionEvent for start, meter values and stop.
 */
final class Ocpp2Dialect implements Dialect {
  private static final String HEARTBEAT = "OCPPCommCtrlr/HeartbeatInterval";

  private final OcppVersion version;

  Ocpp2Dialect(OcppVersion version) {
    this.version = version;
  }

  @Override
  public Settings settings(int connectors, int securityProfile) {
    return new Settings()
        .add(HEARTBEAT, "300", Settings.Kind.NUMBER, false)
        .add("SampledDataCtrlr/TxUpdatedInterval", "60", Settings.Kind.NUMBER, false)
        .add("TxCtrlr/EVConnectionTimeOut", "60", Settings.Kind.NUMBER, false)
        .add("AuthCtrlr/AuthorizeRemoteStart", "false", Settings.Kind.BOOLEAN, false)
        .add("SecurityCtrlr/SecurityProfile", Integer.toString(securityProfile), Settings.Kind.NUMBER, true);
  }

  @Override
  public String heartbeatKey() {
    return HEARTBEAT;
  }

  @Override
  public String authorizeRemoteKey() {
    return "AuthCtrlr/AuthorizeRemoteStart";
  }

  @Override
  public String newTransactionId() {
    return UUID.randomUUID().toString();
  }

  @Override
  public ObjectNode bootNotification(boolean afterReset) {
    ObjectNode boot = object();
    boot.putObject("chargingStation")
        .put("model", "Simulator")
        .put("vendorName", "ocpp-client")
        .put("firmwareVersion", "sim-1.0");
    return boot.put("reason", afterReset ? "RemoteReset" : "PowerUp");
  }

  @Override
  public String status(Connector.State state) {
    return switch (state) {
      case AVAILABLE -> "Available";
      case PREPARING, CHARGING, FINISHING -> "Occupied";
      case UNAVAILABLE -> "Unavailable";
    };
  }

  @Override
  public ObjectNode statusNotification(int evse, String status) {
    return object()
        .put("timestamp", now())
        .put("connectorStatus", status)
        .put("evseId", evse)
        .put("connectorId", 1);
  }

  @Override
  public CompletableFuture<String> authorize(SimulatedChargePoint cp, String tag) {
    ObjectNode authorize = object();
    authorize.putObject("idToken").put("idToken", tag).put("type", "ISO14443");
    return cp.call("Authorize", authorize)
        .thenApply(a -> a.path("idTokenInfo").path("status").asString(""));
  }

  @Override
  public CompletableFuture<Void> startTransaction(SimulatedChargePoint cp, Transaction tx) {
    ObjectNode event = transactionEvent(tx, "Started", tx.remote ? "RemoteStart" : "Authorized", "Transaction.Begin");
    event.putObject("evse").put("id", tx.connector.id).put("connectorId", 1);
    event.putObject("idToken").put("idToken", tx.idTag).put("type", tx.tokenType);
    if (tx.remoteStartId != null) {
      ((ObjectNode) event.get("transactionInfo")).put("remoteStartId", tx.remoteStartId);
    }
    return cp.call("TransactionEvent", event).thenAccept(a -> {
      // idTokenInfo is optional in the answer; without it the CSMS has no objection.
      Failure.requireAccepted(
          "TransactionEvent Started", a.path("idTokenInfo").path("status").asString("Accepted"), tx.idTag);
    });
  }

  @Override
  public CompletableFuture<Void> meterValues(SimulatedChargePoint cp, Transaction tx) {
    return cp.call("TransactionEvent", transactionEvent(tx, "Updated", "MeterValuePeriodic", "Sample.Periodic"))
        .thenApply(a -> null);
  }

  @Override
  public CompletableFuture<Void> stopTransaction(SimulatedChargePoint cp, Transaction tx, StopReason reason) {
    String trigger = switch (reason) {
      case LOCAL -> "StopAuthorized";
      case REMOTE -> "RemoteStop";
      case UNLOCK -> "UnlockCommand";
      case SOFT_RESET, HARD_RESET -> "ResetCommand";
    };
    ObjectNode event = transactionEvent(tx, "Ended", trigger, "Transaction.End");
    ((ObjectNode) event.get("transactionInfo"))
        .put("chargingState", "EVConnected")
        .put("stoppedReason", switch (reason) {
          case LOCAL -> "Local";
          case REMOTE -> "Remote";
          case UNLOCK -> "Other";
          case SOFT_RESET, HARD_RESET -> "ImmediateReset";
        });
    if (reason == StopReason.LOCAL) {
      event.putObject("idToken").put("idToken", tx.idTag).put("type", tx.tokenType);
    }
    return cp.call("TransactionEvent", event).thenApply(a -> null);
  }

  private static ObjectNode transactionEvent(Transaction tx, String type, String trigger, String context) {
    ObjectNode event = object()
        .put("eventType", type)
        .put("timestamp", now())
        .put("triggerReason", trigger)
        .put("seqNo", tx.seqNo++);
    event.putObject("transactionInfo").put("transactionId", tx.id).put("chargingState", "Charging");
    event.set("meterValue", meterValue(tx.connector, tx, context));
    return event;
  }

  private static ArrayNode meterValue(Connector c, Transaction tx, String context) {
    ArrayNode samples = array();
    samples.addObject()
        .put("value", c.meterWh)
        .put("context", context)
        .put("measurand", "Energy.Active.Import.Register")
        .putObject("unitOfMeasure").put("unit", "Wh");
    samples.addObject()
        .put("value", tx == null ? 0 : 7500)
        .put("context", context)
        .put("measurand", "Power.Active.Import")
        .putObject("unitOfMeasure").put("unit", "W");
    ArrayNode meterValue = array();
    meterValue.addObject().put("timestamp", now()).set("sampledValue", samples);
    return meterValue;
  }

  @Override
  public void handleCsmsCalls(SimulatedChargePoint cp) {
    cp.handle("Reset", call -> {
      JsonNode p = call.params();
      if (p.has("evseId")) {
        return object().put("status", "Rejected"); // resetting one EVSE is optional; not simulated
      }
      boolean onIdle = p.path("type").asString("").equals("OnIdle");
      boolean now = cp.requests.reset(call, onIdle ? StopReason.SOFT_RESET : StopReason.HARD_RESET, onIdle);
      return object().put("status", now ? "Accepted" : "Scheduled");
    });
    cp.handle("GetVariables", call -> {
      ObjectNode answer = object();
      ArrayNode results = answer.putArray("getVariableResult");
      for (JsonNode item : call.params().path("getVariableData")) {
        ObjectNode r = results.addObject();
        String status = lookup(cp.settings, item);
        r.put("attributeStatus", status);
        if (item.has("attributeType")) {
          r.put("attributeType", item.get("attributeType").asString());
        }
        if (status.equals("Accepted")) {
          r.put("attributeValue", cp.settings.get(key(item)).value());
        }
        r.set("component", item.path("component"));
        r.set("variable", item.path("variable"));
      }
      return answer;
    });
    cp.handle("SetVariables", call -> {
      ObjectNode answer = object();
      ArrayNode results = answer.putArray("setVariableResult");
      for (JsonNode item : call.params().path("setVariableData")) {
        String status = lookup(cp.settings, item);
        if (status.equals("Accepted")
            && cp.settings.change(key(item), item.path("attributeValue").asString()) != Settings.Change.ACCEPTED) {
          status = "Rejected";
        }
        ObjectNode r = results.addObject().put("attributeStatus", status);
        if (item.has("attributeType")) {
          r.put("attributeType", item.get("attributeType").asString());
        }
        r.set("component", item.path("component"));
        r.set("variable", item.path("variable"));
      }
      return answer;
    });
    cp.handle("TriggerMessage", call -> {
      JsonNode evse = call.params().path("evse");
      int id = evse.path("id").asInt(0);
      if (id != 0 && cp.connector(id) == null || evse.path("connectorId").asInt(1) != 1) {
        return object().put("status", "Rejected");
      }
      String message = call.params().path("requestedMessage").asString("");
      Supplier<CompletableFuture<?>> triggered = triggered(cp, message, id);
      if (triggered == null) {
        // BootNotification once accepted, TransactionEvent without a transaction (F06.FR.17, FR.16)
        return object().put("status", "Rejected");
      }
      if (triggered == NOT_IMPLEMENTED) {
        return object().put("status", "NotImplemented");
      }
      cp.requests.trigger(call, triggered);
      return object().put("status", "Accepted");
    });
    cp.handle("RequestStartTransaction", call -> {
      JsonNode p = call.params();
      JsonNode token = p.path("idToken");
      boolean ok = cp.requests.remoteStart(
          call, p.path("evseId").asInt(0), token.path("idToken").asString(), token.path("type").asString(),
          p.path("remoteStartId").asInt());
      return object().put("status", ok ? "Accepted" : "Rejected");
    });
    cp.handle("RequestStopTransaction", call -> {
      boolean ok = cp.requests.remoteStop(call, call.params().path("transactionId").asString());
      return object().put("status", ok ? "Accepted" : "Rejected");
    });
    cp.handle("ChangeAvailability", call -> {
      JsonNode p = call.params();
      var a = cp.requests.changeAvailability(
          call, p.path("evse").path("id").asInt(0), p.path("operationalStatus").asString("").equals("Operative"));
      return object().put("status", switch (a) {
        case ACCEPTED -> "Accepted";
        case SCHEDULED -> "Scheduled";
        case REJECTED -> "Rejected";
      });
    });
    cp.handle("UnlockConnector", call -> {
      JsonNode p = call.params();
      var unlock = p.path("connectorId").asInt() != 1
          ? CsmsRequests.Unlock.UNKNOWN_CONNECTOR
          : cp.requests.unlock(call, p.path("evseId").asInt(), false);
      return object().put("status", switch (unlock) {
        case UNLOCKED -> "Unlocked";
        case UNKNOWN_CONNECTOR -> "UnknownConnector";
        case OCCUPIED -> "OngoingAuthorizedTransaction";
      });
    });
  }

  private static String key(JsonNode item) {
    return item.path("component").path("name").asString("") + "/" + item.path("variable").path("name").asString("");
  }

  /** Whether a GetVariables or SetVariables item names a variable this charge point has. */
  private static String lookup(Settings settings, JsonNode item) {
    String type = item.path("attributeType").asString("Actual");
    if (!type.equals("Actual")) {
      return "NotSupportedAttributeType";
    }
    if (settings.get(key(item)) != null) {
      return "Accepted";
    }
    String component = item.path("component").path("name").asString("") + "/";
    for (Settings.Setting s : settings.all()) {
      if (s.key().startsWith(component)) {
        return "UnknownVariable";
      }
    }
    return "UnknownComponent";
  }

  private static final Supplier<CompletableFuture<?>> NOT_IMPLEMENTED = () -> CompletableFuture.completedFuture(null);

  /** The message a TriggerMessage asks for; null to reject it, NOT_IMPLEMENTED for one not simulated. */
  private Supplier<CompletableFuture<?>> triggered(SimulatedChargePoint cp, String message, int evse) {
    return switch (message) {
      case "Heartbeat" -> cp::heartbeat;
      case "StatusNotification" -> () -> cp.reportAgain(evse);
      case "MeterValues" -> () -> cp.forEachConnector(evse, (c, tx) -> {
        ObjectNode m = object().put("evseId", c.id);
        m.set("meterValue", meterValue(c, tx, "Trigger"));
        return cp.call("MeterValues", m);
      });
      case "TransactionEvent" -> cp.hasTransaction(evse)
          ? () -> cp.forEachConnector(evse, (c, tx) -> tx == null
              ? CompletableFuture.completedFuture(null)
              : cp.call("TransactionEvent", transactionEvent(tx, "Updated", "Trigger", "Trigger")))
          : null;
      case "LogStatusNotification", "FirmwareStatusNotification" ->
          () -> cp.call(message, object().put("status", "Idle"));
      case "BootNotification" -> null;
      default -> NOT_IMPLEMENTED;
    };
  }

  @Override
  public CompletableFuture<Void> exercise(CsmsSession csms) {
    ObjectNode get = object();
    ArrayNode data = get.putArray("getVariableData");
    data.add(variable("OCPPCommCtrlr", "HeartbeatInterval"));
    data.add(variable("NoSuchCtrlr", "Foo"));
    ObjectNode set = object();
    set.putArray("setVariableData")
        .add(variable("OCPPCommCtrlr", "HeartbeatInterval").put("attributeValue", "120"))
        .add(variable("SecurityCtrlr", "SecurityProfile").put("attributeValue", "3"));
    ObjectNode trigger = object().put("requestedMessage", "StatusNotification");
    trigger.putObject("evse").put("id", 1).put("connectorId", 1);
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
              "SetVariables accepts HeartbeatInterval and rejects the read-only SecurityProfile", a);
          return csms.call("TriggerMessage", trigger, "Accepted", "StatusNotification", status(1, "Available"));
        })
        .thenCompose(a -> csms.call(
            "ChangeAvailability", availability("Inoperative", 1), "Accepted", "StatusNotification", status(1, "Unavailable")))
        .thenCompose(a -> csms.call(
            "ChangeAvailability", availability("Operative", 1), "Accepted", "StatusNotification", status(1, "Available")))
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

  private static java.util.function.Predicate<JsonNode> status(int evse, String status) {
    return r -> r.path("evseId").asInt() == evse && r.path("connectorStatus").asString("").equals(status);
  }

  @Override
  public String toString() {
    return "OCPP " + version.subprotocol();
  }
}
