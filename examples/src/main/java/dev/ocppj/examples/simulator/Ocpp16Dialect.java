package dev.ocppj.examples.simulator;

import static dev.ocppj.examples.simulator.Json.array;
import static dev.ocppj.examples.simulator.Json.now;
import static dev.ocppj.examples.simulator.Json.object;

import dev.ocppj.examples.simulator.CsmsRequests.Availability;
import dev.ocppj.examples.simulator.Transaction.StopReason;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** OCPP 1.6: configuration keys, CSMS-assigned integer transaction ids, MeterValues. */
final class Ocpp16Dialect implements Dialect {
  @Override
  public Settings settings(int connectors, int securityProfile) {
    return new Settings()
        .add("HeartbeatInterval", "300", Settings.Kind.NUMBER, false)
        .add("MeterValueSampleInterval", "60", Settings.Kind.NUMBER, false)
        .add("ConnectionTimeOut", "60", Settings.Kind.NUMBER, false)
        .add("AuthorizeRemoteTxRequests", "false", Settings.Kind.BOOLEAN, false)
        .add("MeterValuesSampledData", "Energy.Active.Import.Register,Power.Active.Import", Settings.Kind.TEXT, false)
        .add("NumberOfConnectors", Integer.toString(connectors), Settings.Kind.NUMBER, true)
        .add("SupportedFeatureProfiles", "Core,RemoteTrigger", Settings.Kind.TEXT, true)
        .add("GetConfigurationMaxKeys", "20", Settings.Kind.NUMBER, true);
  }

  @Override
  public String heartbeatKey() {
    return "HeartbeatInterval";
  }

  @Override
  public String authorizeRemoteKey() {
    return "AuthorizeRemoteTxRequests";
  }

  @Override
  public String newTransactionId() {
    return null;
  }

  @Override
  public ObjectNode bootNotification(boolean afterReset) {
    return object()
        .put("chargePointVendor", "ocpp-client")
        .put("chargePointModel", "Simulator")
        .put("firmwareVersion", "sim-1.0");
  }

  @Override
  public String status(Connector.State state) {
    return switch (state) {
      case AVAILABLE -> "Available";
      case PREPARING -> "Preparing";
      case CHARGING -> "Charging";
      case FINISHING -> "Finishing";
      case UNAVAILABLE -> "Unavailable";
    };
  }

  @Override
  public ObjectNode statusNotification(int connector, String status) {
    return object()
        .put("connectorId", connector)
        .put("errorCode", "NoError")
        .put("status", status)
        .put("timestamp", now());
  }

  @Override
  public CompletableFuture<String> authorize(SimulatedChargePoint cp, String tag) {
    return cp.call("Authorize", object().put("idTag", tag))
        .thenApply(a -> a.path("idTagInfo").path("status").asString(""));
  }

  @Override
  public CompletableFuture<Void> startTransaction(SimulatedChargePoint cp, Transaction tx) {
    ObjectNode start = object()
        .put("connectorId", tx.connector.id)
        .put("idTag", tx.idTag)
        .put("meterStart", tx.meterStartWh)
        .put("timestamp", now());
    return cp.call("StartTransaction", start).thenAccept(a -> {
      tx.id = Long.toString(a.path("transactionId").asLong());
      Failure.requireAccepted("StartTransaction", a.path("idTagInfo").path("status").asString(""), tx.idTag);
    });
  }

  @Override
  public CompletableFuture<Void> meterValues(SimulatedChargePoint cp, Transaction tx) {
    return cp.call("MeterValues", meterValues(tx.connector, tx)).thenApply(a -> null);
  }

  private static ObjectNode meterValues(Connector c, Transaction tx) {
    ArrayNode samples = array();
    samples.addObject()
        .put("value", Long.toString(c.meterWh))
        .put("context", "Sample.Periodic")
        .put("measurand", "Energy.Active.Import.Register")
        .put("unit", "Wh");
    samples.addObject()
        .put("value", tx == null ? "0" : "7500")
        .put("context", "Sample.Periodic")
        .put("measurand", "Power.Active.Import")
        .put("unit", "W");
    ObjectNode m = object().put("connectorId", c.id);
    if (tx != null && tx.id != null) {
      m.put("transactionId", Long.parseLong(tx.id));
    }
    m.putArray("meterValue").addObject().put("timestamp", now()).set("sampledValue", samples);
    return m;
  }

  @Override
  public CompletableFuture<Void> stopTransaction(SimulatedChargePoint cp, Transaction tx, StopReason reason) {
    ObjectNode stop = object()
        .put("transactionId", Long.parseLong(tx.id))
        .put("idTag", tx.idTag)
        .put("meterStop", tx.connector.meterWh)
        .put("timestamp", now())
        .put("reason", switch (reason) {
          case LOCAL -> "Local";
          case REMOTE -> "Remote";
          case UNLOCK -> "UnlockCommand";
          case SOFT_RESET -> "SoftReset";
          case HARD_RESET -> "HardReset";
        });
    return cp.call("StopTransaction", stop).thenApply(a -> null);
  }

  @Override
  public void handleCsmsCalls(SimulatedChargePoint cp) {
    cp.handle("Reset", call -> {
      boolean hard = call.params().path("type").asString("").equals("Hard");
      cp.requests.reset(call, hard ? StopReason.HARD_RESET : StopReason.SOFT_RESET, false);
      return object().put("status", "Accepted");
    });
    cp.handle("GetConfiguration", call -> getConfiguration(cp.settings, call.params().path("key")));
    cp.handle("ChangeConfiguration", call -> {
      JsonNode p = call.params();
      String status = switch (cp.settings.change(p.path("key").asString(), p.path("value").asString())) {
        case ACCEPTED -> "Accepted";
        case REJECTED -> "Rejected";
        case UNKNOWN -> "NotSupported";
      };
      return object().put("status", status);
    });
    cp.handle("TriggerMessage", call -> {
      int connector = call.params().path("connectorId").asInt(0);
      if (connector != 0 && cp.connector(connector) == null) {
        return object().put("status", "Rejected");
      }
      cp.requests.trigger(call, triggered(cp, call.params().path("requestedMessage").asString(), connector));
      return object().put("status", "Accepted");
    });
    cp.handle("RemoteStartTransaction", call -> {
      JsonNode p = call.params();
      boolean ok = cp.requests.remoteStart(call, p.path("connectorId").asInt(0), p.path("idTag").asString(), null, null);
      return object().put("status", ok ? "Accepted" : "Rejected");
    });
    cp.handle("RemoteStopTransaction", call -> {
      boolean ok = cp.requests.remoteStop(call, Long.toString(call.params().path("transactionId").asLong()));
      return object().put("status", ok ? "Accepted" : "Rejected");
    });
    cp.handle("ChangeAvailability", call -> {
      JsonNode p = call.params();
      Availability a = cp.requests.changeAvailability(
          call, p.path("connectorId").asInt(), p.path("type").asString("").equals("Operative"));
      return object().put("status", switch (a) {
        case ACCEPTED -> "Accepted";
        case SCHEDULED -> "Scheduled";
        case REJECTED -> "Rejected";
      });
    });
    cp.handle("UnlockConnector", call -> {
      String status = switch (cp.requests.unlock(call, call.params().path("connectorId").asInt(), true)) {
        case UNLOCKED -> "Unlocked";
        case UNKNOWN_CONNECTOR -> "NotSupported";
        case OCCUPIED -> "UnlockFailed";
      };
      return object().put("status", status);
    });
  }

  private static ObjectNode getConfiguration(Settings settings, JsonNode keys) {
    ObjectNode answer = object();
    ArrayNode known = answer.putArray("configurationKey");
    ArrayNode unknown = array();
    if (keys.isArray() && !keys.isEmpty()) {
      for (JsonNode k : keys) {
        Settings.Setting s = settings.get(k.asString());
        if (s == null) {
          unknown.add(k.asString());
        } else {
          known.addObject().put("key", s.key()).put("readonly", s.readOnly()).put("value", s.value());
        }
      }
    } else {
      for (Settings.Setting s : settings.all()) {
        known.addObject().put("key", s.key()).put("readonly", s.readOnly()).put("value", s.value());
      }
    }
    if (!unknown.isEmpty()) {
      answer.set("unknownKey", unknown);
    }
    return answer;
  }

  /** The message a TriggerMessage asks for; every one 1.6 defines is supported. */
  private Supplier<CompletableFuture<?>> triggered(SimulatedChargePoint cp, String message, int connector) {
    return switch (message) {
      case "BootNotification" -> () -> cp.call("BootNotification", bootNotification(false));
      case "Heartbeat" -> cp::heartbeat;
      case "StatusNotification" -> () -> cp.reportAgain(connector);
      case "MeterValues" -> () -> cp.forEachConnector(connector, (c, tx) ->
          cp.call("MeterValues", meterValues(c, tx)));
      case "DiagnosticsStatusNotification", "FirmwareStatusNotification" ->
          () -> cp.call(message, object().put("status", "Idle"));
      default -> () -> CompletableFuture.completedFuture(null);
    };
  }

  @Override
  public CompletableFuture<Void> exercise(CsmsSession csms) {
    ObjectNode keys = object();
    keys.putArray("key").add("HeartbeatInterval").add("NoSuchKey");
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
            "StatusNotification", r -> r.path("connectorId").asInt() == 1 && r.path("status").asString("").equals("Available")))
        .thenCompose(a -> csms.call(
            "ChangeAvailability", object().put("connectorId", 1).put("type", "Inoperative"), "Accepted",
            "StatusNotification", r -> r.path("connectorId").asInt() == 1 && r.path("status").asString("").equals("Unavailable")))
        .thenCompose(a -> csms.call(
            "ChangeAvailability", object().put("connectorId", 1).put("type", "Operative"), "Accepted",
            "StatusNotification", r -> r.path("connectorId").asInt() == 1 && r.path("status").asString("").equals("Available")))
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
}
