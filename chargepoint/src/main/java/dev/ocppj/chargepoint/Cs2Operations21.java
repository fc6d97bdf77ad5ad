package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.status;

import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operations OCPP 2.1 adds for a CSMS to call: tariffs (SetDefaultTariff, GetTariffs,
 * ClearTariffs, ChangeTransactionTariff, NotifyWebPaymentStarted), DER control (SetDERControl,
 * GetDERControl, ClearDERControl), bidirectional power (AFRRSignal, NotifyAllowedEnergyTransfer)
 * and RequestBatterySwap. Under 2.0.1 they answer NotImplemented.
 */
final class Cs2Operations21 {
  /** The most DER controls a station keeps (a CSMS can name any controlType). */
  static final int MAX_DER_CONTROLS = 100;

  /** A stored DER control. */
  record Der(String id, String type, boolean isDefault, JsonNode body) {}

  private final ChargingStation s;
  // Guarded by s.
  private final Map<Integer, JsonNode> defaultTariffs = new LinkedHashMap<>();
  // By transaction id; only running transactions get one, and the oldest go past 100 (ended ones).
  private final Map<String, JsonNode> driverTariffs = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
      return size() > 100;
    }
  };
  private final Map<String, Der> controls = new LinkedHashMap<>();

  Cs2Operations21(ChargingStation s) {
    this.s = s;
  }

  /** {@code handler} under 2.1; NotImplemented (an action 2.0.1 does not have) otherwise. */
  static CallHandler only21(ChargingStation s, CallHandler handler) {
    return call -> {
      if (!s.v21()) {
        throw new RpcException.NotImplemented(call.action() + " is an OCPP 2.1 operation");
      }
      return handler.handle(call);
    };
  }

  void register() {
    s.answer("SetDefaultTariff", Feature.TARIFF_AND_COST, only21(s, this::setDefaultTariff));
    s.answer("GetTariffs", Feature.TARIFF_AND_COST, only21(s, this::getTariffs));
    s.answer("ClearTariffs", Feature.TARIFF_AND_COST, only21(s, this::clearTariffs));
    s.answer("ChangeTransactionTariff", Feature.TARIFF_AND_COST, only21(s, this::changeTariff));
    s.answer("NotifyWebPaymentStarted", Feature.TARIFF_AND_COST, only21(s, call -> {
      int evse = Cs2Json.requireInt(call.params(), "evseId");
      Cs2Json.requireInt(call.params(), "timeout");
      synchronized (s) {
        if (s.evseOrNull(evse) == null) {
          throw new RpcException.PropertyConstraintViolation("no EVSE " + evse);
        }
      }
      return object(); // C?: the station shows "payment in progress"; the answer is empty
    }));
    s.answer("SetDERControl", Feature.DER_CONTROL, only21(s, this::setDer));
    s.answer("GetDERControl", Feature.DER_CONTROL, only21(s, this::getDer));
    s.answer("ClearDERControl", Feature.DER_CONTROL, only21(s, this::clearDer));
    s.answer("AFRRSignal", Feature.BIDIRECTIONAL, only21(s, call -> {
      Cs2Json.requireText(call.params(), "timestamp");
      Cs2Json.requireInt(call.params(), "signal");
      return status("Accepted");
    }));
    s.answer("NotifyAllowedEnergyTransfer", Feature.BIDIRECTIONAL, only21(s, call -> {
      String tx = Cs2Json.requireText(call.params(), "transactionId");
      Cs2Json.requireObject(call.params(), "allowedEnergyTransfer");
      return status(evseOf(tx) != null ? "Accepted" : "Rejected");
    }));
    s.answer("RequestBatterySwap", Feature.BATTERY_SWAP, only21(s, call -> {
      Cs2Json.requireInt(call.params(), "requestId");
      Cs2Json.requireObject(call.params(), "idToken");
      return status("Accepted");
    }));
  }

  private Cs2Evse evseOf(String txId) {
    synchronized (s) {
      for (Cs2Evse e : s.evses) {
        if (e.tx != null && e.tx.id.equals(txId)) {
          return e;
        }
      }
      return null;
    }
  }

  // ---- tariffs (2.1 block I)

  private Object setDefaultTariff(IncomingCall call) {
    int evseId = Cs2Json.requireInt(call.params(), "evseId");
    JsonNode tariff = Cs2Json.requireObject(call.params(), "tariff");
    String id = Cs2Json.requireText(tariff, "tariffId");
    synchronized (s) {
      if (evseId != 0 && s.evseOrNull(evseId) == null) {
        return status("Rejected", "UnknownEvse", null);
      }
      for (Map.Entry<Integer, JsonNode> e : defaultTariffs.entrySet()) {
        if (e.getKey() != evseId && e.getValue().path("tariffId").asString().equals(id) && !e.getValue().equals(tariff)) {
          return status("DuplicateTariffId"); // one id, one tariff
        }
      }
      defaultTariffs.put(evseId, tariff.deepCopy());
    }
    return status("Accepted");
  }

  private Object getTariffs(IncomingCall call) {
    int evseId = Cs2Json.requireInt(call.params(), "evseId");
    ArrayNode list = Cs2Json.array();
    synchronized (s) {
      if (evseId != 0 && s.evseOrNull(evseId) == null) {
        return status("Rejected", "UnknownEvse", null);
      }
      for (Map.Entry<Integer, JsonNode> e : defaultTariffs.entrySet()) {
        if (evseId == 0 || e.getKey() == 0 || e.getKey() == evseId) {
          ObjectNode a = list.addObject().put("tariffId", e.getValue().path("tariffId").asString())
              .put("tariffKind", "DefaultTariff");
          if (e.getKey() != 0) {
            a.putArray("evseIds").add(e.getKey());
          }
        }
      }
      for (Map.Entry<String, JsonNode> e : driverTariffs.entrySet()) {
        Cs2Evse at = null;
        for (Cs2Evse x : s.evses) {
          if (x.tx != null && x.tx.id.equals(e.getKey())) {
            at = x;
          }
        }
        if (at != null && (evseId == 0 || at.id == evseId)) {
          list.addObject().put("tariffId", e.getValue().path("tariffId").asString()).put("tariffKind", "DriverTariff")
              .putArray("evseIds").add(at.id);
        }
      }
    }
    if (list.isEmpty()) {
      return status("NoTariff");
    }
    ObjectNode answer = status("Accepted");
    answer.set("tariffAssignments", list);
    return answer;
  }

  private Object clearTariffs(IncomingCall call) {
    JsonNode ids = call.params().get("tariffIds");
    Integer evseId = call.params().has("evseId") ? call.params().path("evseId").asInt() : null;
    ArrayNode results = Cs2Json.array();
    synchronized (s) {
      if (ids == null || !ids.isArray()) {
        List<Integer> keys = new ArrayList<>(defaultTariffs.keySet());
        for (Integer k : keys) {
          if (evseId == null || evseId.equals(k)) {
            results.addObject().put("tariffId", defaultTariffs.remove(k).path("tariffId").asString()).put("status", "Accepted");
          }
        }
        if (results.isEmpty()) {
          results.addObject().put("status", "NoTariff");
        }
      } else {
        for (JsonNode idNode : ids) {
          String id = idNode.asString();
          boolean removed = defaultTariffs.entrySet().removeIf(e -> (evseId == null || evseId.equals(e.getKey()))
              && e.getValue().path("tariffId").asString().equals(id));
          results.addObject().put("tariffId", id).put("status", removed ? "Accepted" : "NoTariff");
        }
      }
    }
    ObjectNode answer = object();
    answer.set("clearTariffsResult", results);
    return answer;
  }

  private Object changeTariff(IncomingCall call) {
    String txId = Cs2Json.requireText(call.params(), "transactionId");
    JsonNode tariff = Cs2Json.requireObject(call.params(), "tariff");
    String currency = Cs2Json.requireText(tariff, "currency");
    Cs2Evse e = evseOf(txId);
    if (e == null) {
      return status("TxNotFound");
    }
    synchronized (s) {
      JsonNode current = driverTariffs.get(txId);
      if (current == null) {
        current = defaultTariffs.getOrDefault(e.id, defaultTariffs.get(0));
      }
      // I?: a transaction keeps its currency.
      if (current != null && !current.path("currency").asString().equals(currency)) {
        return status("NoCurrencyChange");
      }
      driverTariffs.put(txId, tariff.deepCopy());
    }
    String tariffId = Cs2Json.requireText(tariff, "tariffId");
    s.afterReply(call, "tariff changed", () -> s.transactions().tariffChanged(e, tariffId));
    return status("Accepted");
  }

  // ---- DER control (2.1 block R)

  private static String field(String type) {
    return switch (type) {
      case "EnterService" -> "enterService";
      case "FreqDroop" -> "freqDroop";
      case "FixedPFAbsorb" -> "fixedPFAbsorb";
      case "FixedPFInject" -> "fixedPFInject";
      case "FixedVar" -> "fixedVar";
      case "Gradients" -> "gradient";
      case "LimitMaxDischarge" -> "limitMaxDischarge";
      default -> "curve";
    };
  }

  private Object setDer(IncomingCall call) {
    JsonNode p = call.params();
    String id = Cs2Json.requireText(p, "controlId");
    String type = Cs2Json.requireText(p, "controlType");
    if (!p.has("isDefault")) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field isDefault");
    }
    boolean isDefault = p.path("isDefault").asBoolean();
    JsonNode body = p.get(field(type));
    if (body == null || !body.isObject()) {
      return status("Rejected", "MissingControl", field(type) + " is required for " + type);
    }
    List<String> superseded = new ArrayList<>();
    synchronized (s) {
      // R?: a new control of the same type and kind supersedes the previous one.
      controls.values().removeIf(d -> {
        boolean same = d.type().equals(type) && d.isDefault() == isDefault && !d.id().equals(id);
        if (same) {
          superseded.add(d.id());
        }
        return same;
      });
      if (!controls.containsKey(id) && controls.size() >= MAX_DER_CONTROLS) {
        return status("Rejected", "TooManyControls", MAX_DER_CONTROLS + " controls are stored");
      }
      controls.put(id, new Der(id, type, isDefault, body.deepCopy()));
    }
    ObjectNode answer = status("Accepted");
    if (!superseded.isEmpty()) {
      ArrayNode ids = answer.putArray("supersededIds");
      superseded.stream().limit(24).forEach(ids::add);
    }
    return answer;
  }

  private List<Der> matching(JsonNode p) {
    List<Der> out = new ArrayList<>();
    for (Der d : controls.values()) {
      if ((!p.has("controlId") || p.path("controlId").asString().equals(d.id()))
          && (!p.has("controlType") || p.path("controlType").asString().equals(d.type()))
          && (!p.has("isDefault") || p.path("isDefault").asBoolean() == d.isDefault())) {
        out.add(d);
      }
    }
    return out;
  }

  private Object getDer(IncomingCall call) {
    int requestId = Cs2Json.requireInt(call.params(), "requestId");
    List<Der> found;
    synchronized (s) {
      found = matching(call.params());
    }
    if (found.isEmpty()) {
      return status("NotFound");
    }
    ObjectNode report = object().put("requestId", requestId).put("tbc", false);
    for (Der d : found) {
      String f = field(d.type());
      ObjectNode item = report.withArray(f).addObject().put("id", d.id());
      switch (f) {
        case "curve" -> item.put("curveType", d.type()).put("isDefault", d.isDefault()).put("isSuperseded", false).set("curve", d.body());
        case "enterService", "gradient" -> item.set(f, d.body());
        case "fixedPFAbsorb", "fixedPFInject" -> item.put("isDefault", d.isDefault()).put("isSuperseded", false).set("fixedPF", d.body());
        default -> item.put("isDefault", d.isDefault()).put("isSuperseded", false).set(f, d.body());
      }
    }
    s.afterReply(call, "ReportDERControl " + requestId, () -> s.send("ReportDERControl", report));
    return status("Accepted");
  }

  private Object clearDer(IncomingCall call) {
    if (!call.params().has("isDefault")) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field isDefault");
    }
    synchronized (s) {
      List<Der> found = matching(call.params());
      found.forEach(d -> controls.remove(d.id()));
      return status(found.isEmpty() ? "NotFound" : "Accepted");
    }
  }
}
