package dev.ocppj.chargepoint;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The 2.x device model (part 2 appendix 3 names): components with variables, their Actual
 * attribute, mutability and characteristics. The definitions are static and shared by every
 * station in the JVM ({@link Cs2Variables}); a station keeps only the values the CSMS changed.
 * A controller of a feature the profile lacks is absent, as on a station without that
 * functional block. Guarded by its station's lock.
 */
final class Cs2DeviceModel {
  enum Scope { STATION, EVSE, CONNECTOR }

  /** Where a component instance lives: the station (0, 0), an EVSE (e, 0) or a connector (e, c). */
  record Loc(int evse, int connector) {
    static final Loc STATION = new Loc(0, 0);
  }

  /** One variable's definition; {@code value} gives its default or (when {@code dynamic}) its live value. */
  record Def(String component, Scope scope, String name, String instance, String dataType, String unit,
      String mutability, String valuesList, Double min, Double max, Feature feature, boolean reboot,
      boolean dynamic, BiFunction<ChargingStation, Loc, String> value, BiConsumer<ChargingStation, String> onSet) {
    boolean writable() {
      return !mutability.equals("ReadOnly");
    }

    String key(Loc loc) {
      return component + '/' + loc.evse + '/' + loc.connector + '/' + name + '/' + instance;
    }
  }

  /** A definition at a location: one row of a report. */
  record Entry(Def def, Loc loc) {}

  private final ChargingStation station;
  private final Map<String, String> changed = new HashMap<>();

  Cs2DeviceModel(ChargingStation station) {
    this.station = station;
  }

  // ---- reading

  /** Every variable of this station, in report order (only components of supported features). */
  List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    StationProfile p = station.profile();
    for (Def d : Cs2Variables.DEFS) {
      if (!p.supports(d.feature)) {
        continue;
      }
      switch (d.scope) {
        case STATION -> out.add(new Entry(d, Loc.STATION));
        case EVSE -> {
          for (int e = 1; e <= p.evses().size(); e++) {
            out.add(new Entry(d, new Loc(e, 0)));
          }
        }
        case CONNECTOR -> {
          for (int e = 1; e <= p.evses().size(); e++) {
            for (int c = 1; c <= p.evses().get(e - 1).connectors(); c++) {
              out.add(new Entry(d, new Loc(e, c)));
            }
          }
        }
      }
    }
    return out;
  }

  /** The Actual value (null for WriteOnly, as a report must not reveal it). */
  String actual(Entry e) {
    return actualRaw(e.def, e.loc);
  }

  private String actualRaw(Def d, Loc loc) {
    if (d.dynamic) {
      return d.value.apply(station, loc);
    }
    String v = changed.get(d.key(loc));
    return v != null ? v : d.value.apply(station, loc);
  }

  /** The Actual value of a station-level variable, or null when the station has no such variable. */
  String value(String component, String name, String instance) {
    for (Def d : Cs2Variables.DEFS) {
      if (d.scope == Scope.STATION && d.component.equals(component) && d.name.equals(name)
          && java.util.Objects.equals(d.instance, instance) && station.profile().supports(d.feature)) {
        return actualRaw(d, Loc.STATION);
      }
    }
    return null;
  }

  int intValue(String component, String name, String instance, int fallback) {
    String v = value(component, name, instance);
    try {
      return v == null ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  boolean boolValue(String component, String name, boolean fallback) {
    String v = value(component, name, null);
    return v == null ? fallback : Boolean.parseBoolean(v.trim());
  }

  /** The entries a component/variable pair from a request names (variable null: all of the component). */
  List<Entry> find(JsonNode component, JsonNode variable) {
    String cName = component.path("name").asString("");
    String cInst = text(component.get("instance"));
    JsonNode evse = component.get("evse");
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries()) {
      Def d = e.def;
      if (!d.component.equals(cName) || cInst != null) {
        continue; // no component of this model has instances
      }
      if (evse == null || evse.isNull()) {
        if (d.scope != Scope.STATION) {
          continue;
        }
      } else {
        if (d.scope == Scope.STATION || e.loc.evse != evse.path("id").asInt(-1)) {
          continue;
        }
        if (evse.has("connectorId") ? (d.scope != Scope.CONNECTOR || e.loc.connector != evse.path("connectorId").asInt(-1))
            : d.scope == Scope.CONNECTOR) {
          continue;
        }
      }
      if (variable != null && !variable.isNull()) {
        if (!d.name.equals(variable.path("name").asString(""))) {
          continue;
        }
        String vInst = text(variable.get("instance"));
        if (!java.util.Objects.equals(vInst, d.instance)) {
          continue;
        }
      }
      out.add(e);
    }
    return out;
  }

  /** Whether a component of this name exists at the location the request gives. */
  boolean knowsComponent(JsonNode component) {
    return !find(component, null).isEmpty();
  }

  // ---- writing

  /**
   * Applies a SetVariables item: the status (Accepted, Rejected, RebootRequired) and a reason
   * for a rejection; the caller answered the unknown cases first. Runs the variable's change
   * hook (heartbeat, meter intervals re-arm at once) after the lock is released by the caller.
   */
  String[] set(Entry e, String value) {
    Def d = e.def;
    if (!d.writable()) {
      return new String[] {"Rejected", "ReadOnly"};
    }
    String problem = invalid(d, value);
    if (problem != null) {
      return new String[] {"Rejected", problem};
    }
    if (!d.dynamic) {
      changed.put(d.key(e.loc), value);
    }
    return new String[] {d.reboot ? "RebootRequired" : "Accepted", null};
  }

  private static String invalid(Def d, String v) {
    try {
      switch (d.dataType) {
        case "integer" -> {
          long n = Long.parseLong(v.trim());
          return range(d, n);
        }
        case "decimal" -> {
          return range(d, Double.parseDouble(v.trim()));
        }
        case "boolean" -> {
          return v.equals("true") || v.equals("false") ? null : "InvalidValue";
        }
        case "dateTime" -> {
          OffsetDateTime.parse(v);
          return null;
        }
        case "OptionList" -> {
          return Arrays.asList(d.valuesList.split(",")).contains(v) ? null : "InvalidValue";
        }
        case "MemberList", "SequenceList" -> {
          List<String> allowed = Arrays.asList(d.valuesList.split(","));
          if (v.isEmpty()) {
            return null;
          }
          for (String item : v.split(",")) {
            if (!allowed.contains(item.trim())) {
              return "InvalidValue";
            }
          }
          return null;
        }
        default -> {
          return d.max != null && v.length() > d.max ? "ValueTooLong" : null;
        }
      }
    } catch (RuntimeException e) {
      return "InvalidValue";
    }
  }

  private static String range(Def d, double n) {
    if ((d.min != null && n < d.min) || (d.max != null && n > d.max)) {
      return "ValueOutOfRange";
    }
    return null;
  }

  // ---- report rows

  /** One NotifyReport reportData item. */
  ObjectNode reportData(Entry e) {
    Def d = e.def;
    ObjectNode item = Cs2Json.object();
    item.set("component", component(e));
    ObjectNode variable = item.putObject("variable").put("name", d.name);
    if (d.instance != null) {
      variable.put("instance", d.instance);
    }
    ObjectNode attr = item.putArray("variableAttribute").addObject().put("type", "Actual");
    String v = d.mutability.equals("WriteOnly") ? null : actual(e);
    if (v != null) {
      attr.put("value", v.length() > 2500 ? v.substring(0, 2500) : v);
    }
    attr.put("mutability", d.mutability).put("persistent", true).put("constant", !d.writable() && !d.dynamic);
    ObjectNode ch = item.putObject("variableCharacteristics");
    if (d.unit != null) {
      ch.put("unit", d.unit);
    }
    ch.put("dataType", d.dataType);
    if (d.min != null && !d.dataType.equals("string")) {
      ch.put("minLimit", d.min);
    }
    if (d.max != null) {
      ch.put("maxLimit", d.max);
    }
    if (d.valuesList != null) {
      ch.put("valuesList", d.valuesList);
    }
    ch.put("supportsMonitoring", d.dataType.equals("integer") || d.dataType.equals("decimal") || d.dataType.equals("boolean"));
    return item;
  }

  /** The ComponentType of an entry. */
  static ObjectNode component(Entry e) {
    ObjectNode c = Cs2Json.object().put("name", e.def.component);
    if (e.def.scope != Scope.STATION) {
      ObjectNode evse = c.putObject("evse").put("id", e.loc.evse);
      if (e.def.scope == Scope.CONNECTOR) {
        evse.put("connectorId", e.loc.connector);
      }
    }
    return c;
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asString();
  }
}
