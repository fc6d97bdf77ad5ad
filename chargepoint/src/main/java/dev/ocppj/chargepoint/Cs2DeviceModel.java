package dev.ocppj.chargepoint;

import java.time.Duration;
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
 * station in the JVM; a station keeps only the values the CSMS changed. A controller of a
 * feature the profile lacks is absent, as on a station without that functional block.
 * Guarded by its station's lock.
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

  static final String MEASURANDS = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC";
  static final String TX_POINTS = "ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer";
  static final List<Def> DEFS = definitions();

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
    for (Def d : DEFS) {
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
    for (Def d : DEFS) {
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
    ObjectNode item = ChargingStation.object();
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
    ObjectNode c = ChargingStation.object().put("name", e.def.component);
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

  // ---- the definitions

  private static List<Def> definitions() {
    List<Def> l = new ArrayList<>();
    Builder b = new Builder(l);
    // ChargingStation, EVSE, Connector (part 2 appendix 3, "physical" components).
    b.comp("ChargingStation", Scope.STATION, Feature.CORE)
        .dyn("Available", "boolean", (s, at) -> Boolean.toString(!s.faultedAt(at)))
        .dyn("AvailabilityState", "OptionList", Cs2DeviceModel::availability).values("Available,Occupied,Reserved,Unavailable,Faulted")
        .ro("Model", "string", (s, at) -> s.profile().model())
        .ro("VendorName", "string", (s, at) -> s.profile().vendor())
        .ro("SerialNumber", "string", (s, at) -> s.profile().serialNumber() == null ? "" : s.profile().serialNumber())
        .ro("FirmwareVersion", "string", (s, at) -> s.firmwareVersion())
        .ro("SupplyPhases", "integer", (s, at) -> Integer.toString(s.profile().evses().stream().mapToInt(StationProfile.Evse::phases).max().orElse(3)));
    b.comp("EVSE", Scope.EVSE, Feature.CORE)
        .dyn("Available", "boolean", (s, at) -> Boolean.toString(!s.faultedAt(at)))
        .dyn("AvailabilityState", "OptionList", Cs2DeviceModel::availability).values("Available,Occupied,Reserved,Unavailable,Faulted")
        .dyn("Power", "decimal", (s, at) -> ChargingStation.round(s.powerW(at.evse))).unit("W").limits(0d, null)
        .ro("SupplyPhases", "integer", (s, at) -> Integer.toString(s.profile().evses().get(at.evse - 1).phases()));
    b.comp("Connector", Scope.CONNECTOR, Feature.CORE)
        .dyn("Available", "boolean", (s, at) -> Boolean.toString(!s.faultedAt(at)))
        .dyn("AvailabilityState", "OptionList", Cs2DeviceModel::availability).values("Available,Occupied,Reserved,Unavailable,Faulted")
        .ro("ConnectorType", "string", (s, at) -> "cType2")
        .ro("SupplyPhases", "integer", (s, at) -> Integer.toString(s.profile().evses().get(at.evse - 1).phases()));
    b.comp("OCPPCommCtrlr", Scope.STATION, Feature.CORE)
        .dynRw("HeartbeatInterval", "integer", (s, at) -> Long.toString(s.heartbeatInterval().toSeconds()),
            (s, v) -> s.heartbeatInterval(Duration.ofSeconds(Long.parseLong(v)))).unit("s").limits(0d, 86400d)
        .rw("MessageTimeout", "integer", "30").instance("Default").unit("s").limits(1d, 3600d)
        .rw("MessageAttempts", "integer", "3").instance("TransactionEvent").limits(0d, 100d)
        .rw("MessageAttemptInterval", "integer", "60").instance("TransactionEvent").unit("s").limits(0d, 86400d)
        .rw("NetworkConfigurationPriority", "SequenceList", "1").values("1,2,3,4,5,6,7,8").reboot()
        .rw("NetworkProfileConnectionAttempts", "integer", "3").limits(1d, 100d)
        .rw("OfflineThreshold", "integer", "60").unit("s").limits(0d, 86400d)
        .rw("ResetRetries", "integer", "2").limits(0d, 10d)
        .rw("RetryBackOffRandomRange", "integer", "10").unit("s").limits(0d, 3600d)
        .rw("RetryBackOffRepeatTimes", "integer", "3").limits(0d, 100d)
        .rw("RetryBackOffWaitMinimum", "integer", "5").unit("s").limits(0d, 3600d)
        .rw("WebSocketPingInterval", "integer", "30").unit("s").limits(0d, 3600d)
        .rw("UnlockOnEVSideDisconnect", "boolean", "true")
        .ro("FileTransferProtocols", "MemberList", (s, at) -> "HTTP,HTTPS,FTP").values("FTP,FTPS,HTTP,HTTPS,SFTP");
    b.comp("AuthCtrlr", Scope.STATION, Feature.CORE)
        .rw("Enabled", "boolean", "true")
        .rw("AuthorizeRemoteStart", "boolean", "false")
        .rw("LocalAuthorizeOffline", "boolean", "true")
        .rw("LocalPreAuthorize", "boolean", "false")
        .rw("OfflineTxForUnknownIdEnabled", "boolean", "false");
    b.comp("AuthCacheCtrlr", Scope.STATION, Feature.CORE)
        .rw("Enabled", "boolean", "true")
        .ro("Available", "boolean", (s, at) -> "true")
        .rw("LifeTime", "integer", "86400").unit("s").limits(0d, null)
        .ro("Storage", "integer", (s, at) -> Integer.toString(ChargingStation.CACHE_ENTRIES * 64)).unit("B")
        .ro("Policy", "OptionList", (s, at) -> "LRU").values("LRU");
    b.comp("LocalAuthListCtrlr", Scope.STATION, Feature.LOCAL_AUTH_LIST_MANAGEMENT)
        .rw("Enabled", "boolean", "true")
        .ro("Available", "boolean", (s, at) -> "true")
        .dyn("Entries", "integer", (s, at) -> Integer.toString(s.auth().size())).ro()
        .ro("ItemsPerMessage", "integer", (s, at) -> "100")
        .ro("BytesPerMessage", "integer", (s, at) -> "65000")
        .ro("Storage", "integer", (s, at) -> Integer.toString(ChargingStation.LIST_ENTRIES * 64)).unit("B");
    b.comp("TxCtrlr", Scope.STATION, Feature.CORE)
        .rw("EVConnectionTimeOut", "integer", "60").unit("s").limits(0d, 86400d)
        .rw("StopTxOnEVSideDisconnect", "boolean", "true")
        .rw("StopTxOnInvalidId", "boolean", "true")
        .rw("TxStartPoint", "MemberList", "Authorized,EVConnected").values(TX_POINTS)
        .rw("TxStopPoint", "MemberList", "Authorized,EVConnected").values(TX_POINTS)
        .rw("MaxEnergyOnInvalidId", "integer", "0").unit("Wh").limits(0d, null);
    b.comp("SampledDataCtrlr", Scope.STATION, Feature.CORE)
        .rw("Enabled", "boolean", "true")
        .dynRw("TxUpdatedInterval", "integer", null, (s, v) -> s.transactions().rearmPeriodic()).unit("s").limits(0d, 86400d)
        .rw("TxUpdatedMeasurands", "MemberList", "Energy.Active.Import.Register,Power.Active.Import").values(MEASURANDS)
        .rw("TxStartedMeasurands", "MemberList", "Energy.Active.Import.Register").values(MEASURANDS)
        .rw("TxEndedMeasurands", "MemberList", "Energy.Active.Import.Register").values(MEASURANDS)
        .rw("TxEndedInterval", "integer", "0").unit("s").limits(0d, 86400d);
    b.comp("AlignedDataCtrlr", Scope.STATION, Feature.CORE)
        .rw("Enabled", "boolean", "true")
        .dynRw("Interval", "integer", null, (s, v) -> s.transactions().rearmAligned()).unit("s").limits(0d, 86400d)
        .rw("Measurands", "MemberList", "Energy.Active.Import.Register").values(MEASURANDS)
        .rw("TxEndedInterval", "integer", "0").unit("s").limits(0d, 86400d)
        .rw("TxEndedMeasurands", "MemberList", "Energy.Active.Import.Register").values(MEASURANDS);
    b.comp("ReservationCtrlr", Scope.STATION, Feature.RESERVATION)
        .rw("Enabled", "boolean", "true")
        .ro("Available", "boolean", (s, at) -> "true")
        .ro("NonEvseSpecific", "boolean", (s, at) -> "true");
    b.comp("SmartChargingCtrlr", Scope.STATION, Feature.SMART_CHARGING)
        .rw("Enabled", "boolean", "true")
        .ro("Available", "boolean", (s, at) -> "true")
        .dyn("Entries", "integer", (s, at) -> Integer.toString(s.profiles().profiles().size())).instance("ChargingProfiles").ro()
        .rw("LimitChangeSignificance", "decimal", "10").unit("Percent").limits(0d, 100d)
        .ro("PeriodsPerSchedule", "integer", (s, at) -> "24")
        .ro("ProfileStackLevel", "integer", (s, at) -> "10")
        .ro("RateUnit", "MemberList", (s, at) -> "A,W").values("A,W");
    b.comp("DeviceDataCtrlr", Scope.STATION, Feature.CORE)
        .ro("ItemsPerMessage", "integer", (s, at) -> "20").instance("GetReport")
        .ro("ItemsPerMessage", "integer", (s, at) -> "50").instance("GetVariables")
        .ro("ItemsPerMessage", "integer", (s, at) -> "50").instance("SetVariables")
        .ro("BytesPerMessage", "integer", (s, at) -> "65000").instance("GetReport")
        .ro("BytesPerMessage", "integer", (s, at) -> "65000").instance("GetVariables")
        .ro("BytesPerMessage", "integer", (s, at) -> "65000").instance("SetVariables");
    b.comp("SecurityCtrlr", Scope.STATION, Feature.CORE)
        .rw("SecurityProfile", "integer", "1").limits(0d, 3d).reboot()
        .rw("OrganizationName", "string", "ocppj").limits(null, 50d)
        .dyn("CertificateEntries", "integer", (s, at) -> Integer.toString(s.certificates().installed(List.of()).size())).ro()
        .ro("Identity", "string", (s, at) -> s.client().identity())
        .wo("BasicAuthPassword", "string").limits(null, 40d);
    b.comp("ClockCtrlr", Scope.STATION, Feature.CORE)
        .dyn("DateTime", "dateTime", (s, at) -> ChargingStation.timestamp()).ro()
        .rw("TimeSource", "SequenceList", "Heartbeat").values("Heartbeat,NTP,GPS,RealTimeClock,MobileNetwork,RadioTimeTransmitter");
    b.comp("MonitoringCtrlr", Scope.STATION, Feature.DIAGNOSTICS)
        .rw("Enabled", "boolean", "true")
        .ro("Available", "boolean", (s, at) -> "true")
        .ro("ItemsPerMessage", "integer", (s, at) -> "20").instance("SetVariableMonitoring")
        .ro("ItemsPerMessage", "integer", (s, at) -> "20").instance("ClearVariableMonitoring")
        .dyn("ActiveMonitoringBase", "OptionList", (s, at) -> s.monitoring().base()).values("All,FactoryDefault,HardWiredOnly").ro()
        .dyn("ActiveMonitoringLevel", "integer", (s, at) -> Integer.toString(s.monitoring().level())).ro();
    b.comp("DisplayMessageCtrlr", Scope.STATION, Feature.DISPLAY_MESSAGES)
        .rw("Enabled", "boolean", "true")
        .ro("Available", "boolean", (s, at) -> "true")
        .ro("DisplayMessages", "integer", (s, at) -> Integer.toString(Cs2DisplayMessages.CAPACITY))
        .ro("SupportedFormats", "MemberList", (s, at) -> "ASCII,UTF8,URI").values("ASCII,HTML,URI,UTF8,QRCODE")
        .ro("SupportedPriorities", "MemberList", (s, at) -> "AlwaysFront,InFront,NormalCycle").values("AlwaysFront,InFront,NormalCycle");
    b.comp("CustomizationCtrlr", Scope.STATION, Feature.CORE)
        .ro("CustomImplementationEnabled", "boolean", (s, at) -> "true").instance("ocppj");
    b.comp("TariffCostCtrlr", Scope.STATION, Feature.TARIFF_AND_COST)
        .rw("Enabled", "boolean", "true").instance("Tariff")
        .rw("Enabled", "boolean", "true").instance("Cost")
        .ro("Available", "boolean", (s, at) -> "true").instance("Tariff")
        .ro("Available", "boolean", (s, at) -> "true").instance("Cost")
        .rw("Currency", "string", "EUR").limits(null, 3d)
        .rw("TariffFallbackMessage", "string", "Standard tariff applies").limits(null, 255d)
        .rw("TotalCostFallbackMessage", "string", "Cost shown on your invoice").limits(null, 255d);
    b.flush();
    return List.copyOf(l);
  }

  private static String availability(ChargingStation s, Loc at) {
    return s.availabilityState(at);
  }

  /** Builds the definition table fluently; each call finishes the previous variable. */
  private static final class Builder {
    private final List<Def> out;
    private String component;
    private Scope scope;
    private Feature feature;
    private String name, instance, dataType, unit, mutability, valuesList;
    private Double min, max;
    private boolean reboot, dynamic;
    private BiFunction<ChargingStation, Loc, String> value;
    private BiConsumer<ChargingStation, String> onSet;

    Builder(List<Def> out) {
      this.out = out;
    }

    Builder comp(String component, Scope scope, Feature feature) {
      flush();
      this.component = component;
      this.scope = scope;
      this.feature = feature;
      return this;
    }

    private Builder start(String name, String dataType, String mutability, boolean dynamic,
        BiFunction<ChargingStation, Loc, String> value, BiConsumer<ChargingStation, String> onSet) {
      flush();
      this.name = name;
      this.dataType = dataType;
      this.mutability = mutability;
      this.dynamic = dynamic;
      this.value = value;
      this.onSet = onSet;
      return this;
    }

    Builder ro(String name, String type, BiFunction<ChargingStation, Loc, String> value) {
      return start(name, type, "ReadOnly", false, value, null);
    }

    Builder rw(String name, String type, String defaultValue) {
      return start(name, type, "ReadWrite", false, (s, at) -> defaultValue, null);
    }

    Builder wo(String name, String type) {
      return start(name, type, "WriteOnly", false, (s, at) -> "", null);
    }

    /** A live, read-only value. */
    Builder dyn(String name, String type, BiFunction<ChargingStation, Loc, String> value) {
      return start(name, type, "ReadOnly", true, value, null);
    }

    /**
     * A read-write value with a hook run after a change; with {@code value} null it is stored
     * like any other and the hook re-reads it.
     */
    Builder dynRw(String name, String type, BiFunction<ChargingStation, Loc, String> value, BiConsumer<ChargingStation, String> onSet) {
      BiFunction<ChargingStation, Loc, String> v = value != null ? value : (s, at) -> defaults(name);
      return start(name, type, "ReadWrite", value != null, v, onSet);
    }

    private static String defaults(String name) {
      return name.equals("Interval") ? "900" : "60";
    }

    Builder ro() {
      mutability = "ReadOnly";
      return this;
    }

    Builder instance(String instance) {
      this.instance = instance;
      return this;
    }

    Builder unit(String unit) {
      this.unit = unit;
      return this;
    }

    Builder values(String valuesList) {
      this.valuesList = valuesList;
      return this;
    }

    Builder limits(Double min, Double max) {
      this.min = min;
      this.max = max;
      return this;
    }

    Builder reboot() {
      this.reboot = true;
      return this;
    }

    void flush() {
      if (name != null) {
        out.add(new Def(component, scope, name, instance, dataType, unit, mutability, valuesList, min, max, feature,
            reboot, dynamic, value, onSet));
      }
      name = instance = unit = valuesList = null;
      min = max = null;
      reboot = dynamic = false;
      onSet = null;
    }
  }
}
