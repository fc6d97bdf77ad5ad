package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.status;

import dev.ocppj.client.rpc.IncomingCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Display messages (block O: SetDisplayMessage, GetDisplayMessages, ClearDisplayMessage) and
 * CostUpdated (I02). Messages are kept as the CSMS sent them, up to {@link #CAPACITY}.
 */
final class Cs2DisplayMessages {
  static final int CAPACITY = 10;
  private static final List<String> FORMATS = List.of("ASCII", "UTF8", "URI");
  private static final List<String> STATES = List.of("Charging", "Faulted", "Idle", "Unavailable");
  private final ChargingStation s;
  private final Map<Integer, JsonNode> messages = new LinkedHashMap<>(); // guarded by s

  Cs2DisplayMessages(ChargingStation s) {
    this.s = s;
  }

  void register() {
    s.answer("SetDisplayMessage", Feature.DISPLAY_MESSAGES, this::set);
    s.answer("GetDisplayMessages", Feature.DISPLAY_MESSAGES, this::get);
    s.answer("ClearDisplayMessage", Feature.DISPLAY_MESSAGES, this::clear);
    s.answer("CostUpdated", Feature.TARIFF_AND_COST, call -> {
      Cs2Json.requireText(call.params(), "transactionId");
      if (!call.params().has("totalCost")) {
        throw new dev.ocppj.client.rpc.RpcException.OccurrenceConstraintViolation("missing required field totalCost");
      }
      return object(); // I02: the station shows the cost; the answer is empty
    });
  }

  private Object set(IncomingCall call) {
    JsonNode m = Cs2Json.requireObject(call.params(), "message");
    int id = Cs2Json.requireInt(m, "id");
    String priority = Cs2Json.requireText(m, "priority");
    JsonNode content = Cs2Json.requireObject(m, "message");
    String format = Cs2Json.requireText(content, "format");
    // O01.FR.?: what the display cannot show is refused with the matching status.
    if (!FORMATS.contains(format)) {
      return status("NotSupportedMessageFormat");
    }
    if (!List.of("AlwaysFront", "InFront", "NormalCycle").contains(priority)) {
      return status("NotSupportedPriority");
    }
    if (m.has("state") && !STATES.contains(m.path("state").asString())) {
      return status("NotSupportedState");
    }
    synchronized (s) {
      if (m.has("transactionId")) {
        String tx = m.path("transactionId").asString();
        boolean known = false;
        for (Cs2Evse e : s.evses) {
          known |= e.tx != null && e.tx.id.equals(tx);
        }
        if (!known) {
          return status("UnknownTransaction");
        }
      }
      if (!messages.containsKey(id) && messages.size() >= CAPACITY) {
        return status("Rejected", "Full", null);
      }
      messages.put(id, m.deepCopy());
    }
    return status("Accepted");
  }

  private Object get(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = Cs2Json.requireInt(p, "requestId");
    List<JsonNode> found = new ArrayList<>();
    synchronized (s) {
      for (JsonNode m : messages.values()) {
        if (p.has("id")) {
          boolean any = false;
          for (JsonNode id : p.get("id")) {
            any |= id.asInt() == m.path("id").asInt();
          }
          if (!any) {
            continue;
          }
        }
        if (p.has("priority") && !p.path("priority").asString().equals(m.path("priority").asString())) {
          continue;
        }
        if (p.has("state") && !p.path("state").asString().equals(m.path("state").asString())) {
          continue;
        }
        found.add(m);
      }
    }
    if (found.isEmpty()) {
      return status("Unknown");
    }
    ObjectNode msg = object().put("requestId", requestId).put("tbc", false);
    ArrayNode info = msg.putArray("messageInfo");
    found.forEach(info::add);
    s.afterReply(call, "NotifyDisplayMessages " + requestId, () -> s.send("NotifyDisplayMessages", msg));
    return status("Accepted");
  }

  private Object clear(IncomingCall call) {
    int id = Cs2Json.requireInt(call.params(), "id");
    synchronized (s) {
      return status(messages.remove(id) != null ? "Accepted" : "Unknown");
    }
  }
}
