package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.status;

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
 * Monitoring (block N02-N05) and, under 2.1, periodic event streams: the CSMS's variable
 * monitors are kept and reported (NotifyMonitoringReport); the model does not evaluate them
 * (no NotifyEvent is raised when a value crosses one).
 */
final class Cs2Monitoring {
  /** The most monitors a station keeps (set by the CSMS; the preconfigured ones are not stored). */
  static final int MAX_MONITORS = 1_000;

  /** One monitor on a variable. */
  record Monitor(int id, Cs2DeviceModel.Entry entry, String type, double value, int severity, boolean transaction) {}

  private final ChargingStation s;
  // Guarded by s.
  private final List<Monitor> monitors = new ArrayList<>();
  private int nextId = 1;
  private String base = "All";
  private int level = 9;

  Cs2Monitoring(ChargingStation s) {
    this.s = s;
  }

  void register() {
    s.answer("SetVariableMonitoring", Feature.DIAGNOSTICS, this::set);
    s.answer("ClearVariableMonitoring", Feature.DIAGNOSTICS, this::clear);
    s.answer("GetMonitoringReport", Feature.DIAGNOSTICS, this::report);
    s.answer("SetMonitoringBase", Feature.DIAGNOSTICS, this::setBase);
    s.answer("SetMonitoringLevel", Feature.DIAGNOSTICS, this::setLevel);
    s.answer("GetPeriodicEventStream", Feature.DIAGNOSTICS, Cs2Operations21.only21(s, call -> object()));
    s.answer("AdjustPeriodicEventStream", Feature.DIAGNOSTICS, Cs2Operations21.only21(s, call -> {
      Cs2Json.requireInt(call.params(), "id");
      return status("Rejected", "UnknownStream", "no periodic event stream is open");
    }));
  }

  String base() {
    synchronized (s) {
      return base;
    }
  }

  int level() {
    synchronized (s) {
      return level;
    }
  }

  /** How many monitors the CSMS set (under the station's lock). */
  int count() {
    return monitors.size();
  }

  // Under the lock: whether a monitor with this id exists, so that setting it adds nothing.
  private boolean replaces(Integer id) {
    return id != null && monitors.stream().anyMatch(x -> x.id() == id.intValue());
  }

  private Object set(IncomingCall call) {
    JsonNode items = Cs2Json.requireObject(call.params(), "setMonitoringData");
    ArrayNode results = Cs2Json.array();
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      int max = m.intValue("MonitoringCtrlr", "ItemsPerMessage", "SetVariableMonitoring", 20);
      if (items.size() > max) {
        throw new RpcException.OccurrenceConstraintViolation(items.size() + " items exceed ItemsPerMessageSetVariableMonitoring (" + max + ")");
      }
      for (JsonNode item : items) {
        JsonNode component = Cs2Json.requireObject(item, "component");
        JsonNode variable = Cs2Json.requireObject(item, "variable");
        String type = Cs2Json.requireText(item, "type");
        int severity = Cs2Json.requireInt(item, "severity");
        if (!item.has("value")) {
          throw new RpcException.OccurrenceConstraintViolation("missing required field value");
        }
        double value = item.path("value").asDouble();
        ObjectNode r = results.addObject();
        List<Cs2DeviceModel.Entry> found = m.find(component, variable);
        String st;
        Integer id = item.has("id") ? item.path("id").asInt() : null;
        if (!m.knowsComponent(component)) {
          st = "UnknownComponent";
        } else if (found.isEmpty()) {
          st = "UnknownVariable";
        } else {
          Cs2DeviceModel.Entry e = found.get(0);
          st = check(e, type, value, severity, id);
          if (st.equals("Accepted") && monitors.size() >= MAX_MONITORS && !replaces(id)) {
            st = "Rejected"; // N04: a station has room for so many monitors; a CSMS cannot grow it further
          }
          if (st.equals("Accepted")) {
            if (id != null) {
              int replaced = id;
              monitors.removeIf(x -> x.id() == replaced);
            } else {
              id = nextId++;
            }
            monitors.add(new Monitor(id, e, type, value, severity, item.path("transaction").asBoolean(false)));
          }
        }
        if (id != null && st.equals("Accepted")) {
          r.put("id", id);
        }
        r.put("status", st).put("type", type).put("severity", severity);
        r.set("component", component);
        r.set("variable", variable);
      }
    }
    ObjectNode answer = object();
    answer.set("setMonitoringResult", results);
    return answer;
  }

  // N04: the status of one monitor request.
  private String check(Cs2DeviceModel.Entry e, String type, double value, int severity, Integer id) {
    String dataType = e.def().dataType();
    boolean numeric = dataType.equals("integer") || dataType.equals("decimal");
    boolean supported = switch (type) {
      case "UpperThreshold", "LowerThreshold" -> numeric;
      case "Delta" -> numeric || dataType.equals("boolean") || dataType.equals("OptionList");
      case "Periodic", "PeriodicClockAligned" -> true;
      default -> false; // TargetDelta / TargetDeltaRelative: no Target attributes here
    };
    if (!supported || e.def().mutability().equals("WriteOnly")) {
      return "UnsupportedMonitorType";
    }
    if (severity < 0 || severity > 9 || (type.equals("Delta") && value < 0)
        || (type.startsWith("Periodic") && value <= 0) || (id != null && monitors.stream().noneMatch(x -> x.id() == id))) {
      return "Rejected";
    }
    if (id == null && monitors.stream().anyMatch(x -> x.entry().equals(e) && x.type().equals(type) && x.severity() == severity)) {
      return "Duplicate";
    }
    return "Accepted";
  }

  private Object clear(IncomingCall call) {
    JsonNode ids = Cs2Json.requireObject(call.params(), "id");
    ArrayNode results = Cs2Json.array();
    synchronized (s) {
      for (JsonNode idNode : ids) {
        int id = idNode.asInt();
        boolean removed = monitors.removeIf(x -> x.id() == id);
        results.addObject().put("status", removed ? "Accepted" : "NotFound").put("id", id);
      }
    }
    ObjectNode answer = object();
    answer.set("clearMonitoringResult", results);
    return answer;
  }

  private Object report(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = Cs2Json.requireInt(p, "requestId");
    JsonNode criteria = p.get("monitoringCriteria");
    JsonNode wanted = p.get("componentVariable");
    Map<Cs2DeviceModel.Entry, List<Monitor>> byVariable = new LinkedHashMap<>();
    int per;
    boolean v21 = s.v21();
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      List<Cs2DeviceModel.Entry> scope = null;
      if (wanted != null && wanted.isArray()) {
        scope = new ArrayList<>();
        for (JsonNode cv : wanted) {
          scope.addAll(m.find(Cs2Json.requireObject(cv, "component"), cv.get("variable")));
        }
      }
      for (Monitor x : monitors) {
        if ((scope == null || scope.contains(x.entry())) && criterion(criteria, x.type())) {
          byVariable.computeIfAbsent(x.entry(), k -> new ArrayList<>()).add(x);
        }
      }
      per = Math.max(1, m.intValue("DeviceDataCtrlr", "ItemsPerMessage", "GetReport", 20));
    }
    if (byVariable.isEmpty()) {
      return status("EmptyResultSet");
    }
    List<ObjectNode> items = new ArrayList<>();
    for (Map.Entry<Cs2DeviceModel.Entry, List<Monitor>> e : byVariable.entrySet()) {
      ObjectNode item = object();
      item.set("component", Cs2DeviceModel.component(e.getKey()));
      ObjectNode variable = item.putObject("variable").put("name", e.getKey().def().name());
      if (e.getKey().def().instance() != null) {
        variable.put("instance", e.getKey().def().instance());
      }
      ArrayNode list = item.putArray("variableMonitoring");
      for (Monitor x : e.getValue()) {
        ObjectNode o = list.addObject().put("id", x.id()).put("transaction", x.transaction()).put("value", x.value())
            .put("type", x.type()).put("severity", x.severity());
        if (v21) {
          o.put("eventNotificationType", "CustomMonitor"); // required from 2.1
        }
      }
      items.add(item);
    }
    int pages = (items.size() + per - 1) / per;
    String generatedAt = Cs2Json.timestamp();
    s.afterReply(call, "NotifyMonitoringReport " + requestId, () -> s.sendPages("NotifyMonitoringReport", pages, n -> {
      ObjectNode msg = object().put("requestId", requestId).put("seqNo", n).put("generatedAt", generatedAt);
      ArrayNode data = msg.putArray("monitor");
      items.subList(n * per, Math.min(items.size(), (n + 1) * per)).forEach(data::add);
      return msg.put("tbc", n < pages - 1);
    }));
    return status("Accepted");
  }

  private static boolean criterion(JsonNode criteria, String type) {
    if (criteria == null || !criteria.isArray()) {
      return true;
    }
    for (JsonNode c : criteria) {
      String want = c.asString("");
      if ((want.equals("ThresholdMonitoring") && type.endsWith("Threshold"))
          || (want.equals("DeltaMonitoring") && type.contains("Delta"))
          || (want.equals("PeriodicMonitoring") && type.startsWith("Periodic"))) {
        return true;
      }
    }
    return false;
  }

  private Object setBase(IncomingCall call) {
    String b = Cs2Json.requireText(call.params(), "monitoringBase");
    if (!List.of("All", "FactoryDefault", "HardWiredOnly").contains(b)) {
      throw new RpcException.PropertyConstraintViolation("unknown monitoringBase " + b);
    }
    synchronized (s) {
      base = b;
      if (!b.equals("All")) {
        monitors.clear(); // N03: FactoryDefault / HardWiredOnly drop the custom monitors
      }
    }
    return status("Accepted");
  }

  private Object setLevel(IncomingCall call) {
    int severity = Cs2Json.requireInt(call.params(), "severity");
    if (severity < 0 || severity > 9) {
      return status("Rejected", "OutOfRange", null);
    }
    synchronized (s) {
      level = severity;
    }
    return status("Accepted");
  }
}
