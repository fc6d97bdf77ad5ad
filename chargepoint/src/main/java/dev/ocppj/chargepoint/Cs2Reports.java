package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;

import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Block B's device model operations: GetVariables, SetVariables, GetBaseReport and GetReport,
 * the reports split into NotifyReport messages of at most ItemsPerMessage[GetReport] items
 * (B07/B08: seqNo from 0, tbc on all but the last).
 */
final class Cs2Reports {
  private final ChargingStation s;

  Cs2Reports(ChargingStation s) {
    this.s = s;
  }

  void register() {
    s.answer("GetVariables", this::getVariables);
    s.answer("SetVariables", this::setVariables);
    s.answer("GetBaseReport", this::getBaseReport);
    s.answer("GetReport", this::getReport);
  }

  private Object getVariables(IncomingCall call) {
    JsonNode items = Cs2Json.requireObject(call.params(), "getVariableData");
    ArrayNode results = Cs2Json.array();
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      // B06.FR.?: more than ItemsPerMessageGetVariables is an occurrence violation.
      requireAtMost(m, items, "GetVariables");
      for (JsonNode item : items) {
        JsonNode component = Cs2Json.requireObject(item, "component");
        JsonNode variable = Cs2Json.requireObject(item, "variable");
        String type = item.path("attributeType").asString("Actual");
        ObjectNode r = results.addObject();
        List<Cs2DeviceModel.Entry> found = m.find(component, variable);
        String missing = missing(m, component, found, type);
        if (missing != null) {
          r.put("attributeStatus", missing);
        } else if (found.get(0).def().mutability().equals("WriteOnly")) {
          r.put("attributeStatus", "Rejected"); // B06.FR.?: a WriteOnly value is never read back
          r.putObject("attributeStatusInfo").put("reasonCode", "WriteOnly");
        } else {
          r.put("attributeStatus", "Accepted");
          String v = m.actual(found.get(0));
          r.put("attributeValue", v.length() > 2500 ? v.substring(0, 2500) : v);
        }
        if (item.has("attributeType")) {
          r.put("attributeType", type);
        }
        r.set("component", component);
        r.set("variable", variable);
      }
    }
    ObjectNode answer = object();
    answer.set("getVariableResult", results);
    return answer;
  }

  // Under the lock: more items than ItemsPerMessage<operation> is an occurrence violation.
  private static void requireAtMost(Cs2DeviceModel m, JsonNode items, String operation) {
    int max = m.intValue("DeviceDataCtrlr", "ItemsPerMessage", operation, 50);
    if (items.size() > max) {
      throw new RpcException.OccurrenceConstraintViolation(
          items.size() + " items exceed ItemsPerMessage" + operation + " (" + max + ")");
    }
  }

  // B05/B06: why a requested variable cannot be read or set here, or null when it can.
  private static String missing(Cs2DeviceModel m, JsonNode component, List<Cs2DeviceModel.Entry> found, String type) {
    if (!m.knowsComponent(component)) {
      return "UnknownComponent";
    }
    if (found.isEmpty()) {
      return "UnknownVariable";
    }
    return type.equals("Actual") ? null : "NotSupportedAttributeType";
  }

  private Object setVariables(IncomingCall call) {
    JsonNode items = Cs2Json.requireObject(call.params(), "setVariableData");
    ArrayNode results = Cs2Json.array();
    List<Runnable> hooks = new ArrayList<>();
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      requireAtMost(m, items, "SetVariables");
      for (JsonNode item : items) {
        JsonNode component = Cs2Json.requireObject(item, "component");
        JsonNode variable = Cs2Json.requireObject(item, "variable");
        String value = Cs2Json.requireText(item, "attributeValue");
        String type = item.path("attributeType").asString("Actual");
        ObjectNode r = results.addObject();
        List<Cs2DeviceModel.Entry> found = m.find(component, variable);
        String missing = missing(m, component, found, type);
        if (missing != null) {
          r.put("attributeStatus", missing);
        } else {
          Cs2DeviceModel.Entry e = found.get(0);
          String[] outcome = m.set(e, value);
          r.put("attributeStatus", outcome[0]);
          if (outcome[1] != null) {
            r.putObject("attributeStatusInfo").put("reasonCode", outcome[1]);
          }
          BiConsumer<ChargingStation, String> hook = e.def().onSet();
          if (!outcome[0].equals("Rejected") && hook != null) {
            hooks.add(() -> hook.accept(s, value));
          }
        }
        if (item.has("attributeType")) {
          r.put("attributeType", type);
        }
        r.set("component", component);
        r.set("variable", variable);
      }
    }
    hooks.forEach(Runnable::run); // B05: intervals re-arm at once, outside the lock
    ObjectNode answer = object();
    answer.set("setVariableResult", results);
    return answer;
  }

  private Object getBaseReport(IncomingCall call) {
    int requestId = Cs2Json.requireInt(call.params(), "requestId");
    String base = Cs2Json.requireText(call.params(), "reportBase");
    List<ObjectNode> items = new ArrayList<>();
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      for (Cs2DeviceModel.Entry e : m.entries()) {
        boolean include = switch (base) {
          case "FullInventory" -> true;
          // Everything the CSMS can configure.
          case "ConfigurationInventory" -> e.def().writable();
          // The components and their availability (B07: a summary).
          case "SummaryInventory" -> Set.of("Available", "AvailabilityState", "Enabled", "Problem").contains(e.def().name());
          default -> throw new RpcException.PropertyConstraintViolation("unknown reportBase " + base);
        };
        if (include) {
          items.add(m.reportData(e));
        }
      }
    }
    return report(call, requestId, items);
  }

  private Object getReport(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = Cs2Json.requireInt(p, "requestId");
    JsonNode criteria = p.get("componentCriteria");
    JsonNode wanted = p.get("componentVariable");
    List<ObjectNode> items = new ArrayList<>();
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      Set<Cs2DeviceModel.Entry> chosen = new LinkedHashSet<>();
      if (wanted != null && wanted.isArray()) {
        for (JsonNode cv : wanted) {
          chosen.addAll(m.find(Cs2Json.requireObject(cv, "component"), cv.get("variable")));
        }
      } else {
        chosen.addAll(m.entries());
      }
      for (Cs2DeviceModel.Entry e : chosen) {
        if (criteria == null || matches(m, e, criteria)) {
          items.add(m.reportData(e));
        }
      }
    }
    return report(call, requestId, items);
  }

  /**
   * B08 componentCriteria: a component whose Active/Available/Enabled variable is true (true
   * when it has none), or whose Problem variable is true (false when it has none).
   */
  private static boolean matches(Cs2DeviceModel m, Cs2DeviceModel.Entry e, JsonNode criteria) {
    for (JsonNode c : criteria) {
      String name = c.asString("");
      String value = null;
      for (Cs2DeviceModel.Entry other : m.entries()) {
        if (other.def().component().equals(e.def().component()) && other.loc().equals(e.loc())
            && other.def().name().equals(name)) {
          value = m.actual(other);
          break;
        }
      }
      boolean hit = name.equals("Problem") ? "true".equals(value) : value == null || "true".equals(value);
      if (hit) {
        return true;
      }
    }
    return false;
  }

  private Object report(IncomingCall call, int requestId, List<ObjectNode> items) {
    if (items.isEmpty()) {
      return Cs2Json.status("EmptyResultSet");
    }
    int per;
    synchronized (s) {
      per = Math.max(1, s.model().intValue("DeviceDataCtrlr", "ItemsPerMessage", "GetReport", 20));
    }
    int pages = (items.size() + per - 1) / per;
    String generatedAt = Cs2Json.timestamp();
    s.afterReply(call, "NotifyReport " + requestId, () -> s.sendPages("NotifyReport", pages, n -> {
      ObjectNode msg = object().put("requestId", requestId).put("generatedAt", generatedAt).put("seqNo", n);
      ArrayNode data = msg.putArray("reportData");
      items.subList(n * per, Math.min(items.size(), (n + 1) * per)).forEach(data::add);
      return msg.put("tbc", n < pages - 1);
    }));
    return Cs2Json.status("Accepted");
  }
}
