package dev.ocppj.chargepoint;

import dev.ocppj.chargepoint.Cs2DeviceModel.Def;
import dev.ocppj.chargepoint.Cs2DeviceModel.Loc;
import dev.ocppj.chargepoint.Cs2DeviceModel.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The shared definition table of the 2.x device model (part 2 appendix 3 names): every
 * component and variable a station can have, with its data type, mutability, limits, the
 * feature it belongs to and how its default or live value is read. It is built once and shared
 * by every station in the JVM, which is why it lives apart from {@link Cs2DeviceModel}: that
 * class holds what one station changed and looks values up, this one only says what exists.
 */
final class Cs2Variables {
  static final String MEASURANDS = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC";
  static final String TX_POINTS = "ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer";
  /** Every definition, in report order. */
  static final List<Def> DEFS = definitions();

  private Cs2Variables() {}

  private static List<Def> definitions() {
    List<Def> l = new ArrayList<>();
    Builder b = new Builder(l);
    // ChargingStation, EVSE, Connector (part 2 appendix 3, "physical" components).
    b.comp("ChargingStation", Scope.STATION, Feature.CORE)
        .dyn("Available", "boolean", (s, at) -> Boolean.toString(!s.statuses().faultedAt(at)))
        .dyn("AvailabilityState", "OptionList", Cs2Variables::availability).values("Available,Occupied,Reserved,Unavailable,Faulted")
        .ro("Model", "string", (s, at) -> s.profile().model())
        .ro("VendorName", "string", (s, at) -> s.profile().vendor())
        .ro("SerialNumber", "string", (s, at) -> s.profile().serialNumber() == null ? "" : s.profile().serialNumber())
        .ro("FirmwareVersion", "string", (s, at) -> s.firmwareVersion())
        .ro("SupplyPhases", "integer", (s, at) -> Integer.toString(s.profile().evses().stream().mapToInt(StationProfile.Evse::phases).max().orElse(3)));
    b.comp("EVSE", Scope.EVSE, Feature.CORE)
        .dyn("Available", "boolean", (s, at) -> Boolean.toString(!s.statuses().faultedAt(at)))
        .dyn("AvailabilityState", "OptionList", Cs2Variables::availability).values("Available,Occupied,Reserved,Unavailable,Faulted")
        .dyn("Power", "decimal", (s, at) -> Cs2Json.round(s.powerW(at.evse()))).unit("W").limits(0d, null)
        .ro("SupplyPhases", "integer", (s, at) -> Integer.toString(s.profile().evses().get(at.evse() - 1).phases()));
    b.comp("Connector", Scope.CONNECTOR, Feature.CORE)
        .dyn("Available", "boolean", (s, at) -> Boolean.toString(!s.statuses().faultedAt(at)))
        .dyn("AvailabilityState", "OptionList", Cs2Variables::availability).values("Available,Occupied,Reserved,Unavailable,Faulted")
        .ro("ConnectorType", "string", (s, at) -> "cType2")
        .ro("SupplyPhases", "integer", (s, at) -> Integer.toString(s.profile().evses().get(at.evse() - 1).phases()));
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
        .dynRw("TxUpdatedInterval", "integer", null, (s, v) -> s.meterValues().rearmPeriodic()).unit("s").limits(0d, 86400d)
        .rw("TxUpdatedMeasurands", "MemberList", "Energy.Active.Import.Register,Power.Active.Import").values(MEASURANDS)
        .rw("TxStartedMeasurands", "MemberList", "Energy.Active.Import.Register").values(MEASURANDS)
        .rw("TxEndedMeasurands", "MemberList", "Energy.Active.Import.Register").values(MEASURANDS)
        .rw("TxEndedInterval", "integer", "0").unit("s").limits(0d, 86400d);
    b.comp("AlignedDataCtrlr", Scope.STATION, Feature.CORE)
        .rw("Enabled", "boolean", "true")
        .dynRw("Interval", "integer", null, (s, v) -> s.meterValues().rearmAligned()).unit("s").limits(0d, 86400d)
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
        .dyn("DateTime", "dateTime", (s, at) -> Cs2Json.timestamp()).ro()
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
    return s.statuses().availabilityState(at);
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
