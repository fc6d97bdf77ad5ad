package dev.ocppj.chargepoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a station is: vendor, model, serial and firmware, its EVSEs and connectors, the features
 * it supports, and how long things take on it. Immutable; {@link #builder} makes one in code,
 * {@link #fromJson} reads the profile file format (the simulator's {@code --station}).
 *
 * <p>Under OCPP 1.6 each EVSE is one connector (1.6 has no EVSE level), numbered from 1 in
 * order; under 2.x EVSE {@code i} has connectors {@code 1..connectors}.
 */
public final class StationProfile {
  /** One EVSE: its connector count, the most power it delivers and its phases. */
  public record Evse(int connectors, double maxPowerW, int phases) {
    public Evse {
      if (connectors < 1) {
        throw new IllegalArgumentException("an EVSE has at least one connector: " + connectors);
      }
      if (!(maxPowerW > 0)) {
        throw new IllegalArgumentException("maxPowerW must be positive: " + maxPowerW);
      }
      if (phases != 1 && phases != 3) {
        throw new IllegalArgumentException("phases must be 1 or 3: " + phases);
      }
    }
  }

  /** Default time a reboot (Reset) keeps the station off line: a real one takes tens of seconds. */
  public static final Duration DEFAULT_REBOOT_DELAY = Duration.ofSeconds(10);
  /** Default time per simulated firmware, log or diagnostics step (download, install, upload). */
  public static final Duration DEFAULT_STEP_DELAY = Duration.ofSeconds(2);

  private final String vendor;
  private final String model;
  private final String serialNumber;
  private final String firmwareVersion;
  private final String meterType;
  private final List<Evse> evses;
  private final Set<Feature> features;
  private final Duration rebootDelay;
  private final Duration stepDelay;
  private final double voltage;
  private final Double evBatteryWh;
  private final double initialSoc;

  private StationProfile(Builder b) {
    vendor = requireText(b.vendor, "vendor", 20);
    model = requireText(b.model, "model", 20);
    serialNumber = b.serialNumber;
    firmwareVersion = b.firmwareVersion;
    meterType = b.meterType;
    evses = List.copyOf(b.evses.isEmpty() ? List.of(new Evse(1, 22_000, 3)) : b.evses);
    features = Set.copyOf(b.features);
    rebootDelay = requireNonNegative(b.rebootDelay, "rebootDelay");
    stepDelay = requireNonNegative(b.stepDelay, "stepDelay");
    voltage = b.voltage;
    evBatteryWh = b.evBatteryWh;
    initialSoc = b.initialSoc;
    if (!features.contains(Feature.CORE)) {
      throw new IllegalArgumentException("every station supports CORE; features were " + features);
    }
    if (!(voltage > 0)) {
      throw new IllegalArgumentException("voltage must be positive: " + voltage);
    }
    if (initialSoc < 0 || initialSoc > 100) {
      throw new IllegalArgumentException("initialSoc is a percentage: " + initialSoc);
    }
  }

  /** A profile for {@code vendor} and {@code model} (each at most 20 characters, as 1.6 allows). */
  public static Builder builder(String vendor, String model) {
    return new Builder(vendor, model);
  }

  /**
   * Reads a profile from its JSON form (the same tree a YAML file gives):
   *
   * <pre>{@code
   * {"vendor": "VendorX", "model": "ModelY", "serialNumber": "SN-1", "firmwareVersion": "1.0.0",
   *  "evses": [{"connectors": 1, "maxPowerW": 22000, "phases": 3}],
   *  "features": ["Core", "SmartCharging", "Reservation"],
   *  "rebootDelay": "PT10S", "stepDelay": "PT2S", "voltage": 230,
   *  "evBatteryWh": 60000, "initialSoc": 20}
   * }</pre>
   *
   * Only vendor and model are required; {@code features} defaults to every feature but
   * DER_CONTROL and BATTERY_SWAP. Durations are ISO-8601 ({@code PT10S}) or seconds.
   *
   * @throws IllegalArgumentException naming the field that is wrong, or an unknown field
   */
  public static StationProfile fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("a station profile is a JSON object");
    }
    Set<String> known = Set.of("vendor", "model", "serialNumber", "firmwareVersion", "meterType",
        "evses", "connectors", "features", "rebootDelay", "stepDelay", "voltage", "evBatteryWh", "initialSoc");
    for (String name : json.propertyNames()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown station profile field \"" + name + "\"; known: " + known);
      }
    }
    Builder b = builder(text(json, "vendor", null), text(json, "model", null));
    b.serialNumber(text(json, "serialNumber", null));
    b.firmwareVersion(text(json, "firmwareVersion", b.firmwareVersion));
    b.meterType(text(json, "meterType", null));
    if (json.has("connectors")) {
      b.connectors(json.get("connectors").asInt());
    }
    for (JsonNode e : json.path("evses")) {
      b.evse(new Evse(e.path("connectors").asInt(1), e.path("maxPowerW").asDouble(22_000), e.path("phases").asInt(3)));
    }
    if (json.has("features")) {
      List<Feature> list = new ArrayList<>();
      for (JsonNode f : json.get("features")) {
        list.add(Feature.parse(f.asString()));
      }
      b.features(list);
    }
    if (json.has("rebootDelay")) {
      b.rebootDelay(duration(json.get("rebootDelay"), "rebootDelay"));
    }
    if (json.has("stepDelay")) {
      b.stepDelay(duration(json.get("stepDelay"), "stepDelay"));
    }
    if (json.has("voltage")) {
      b.voltage(json.get("voltage").asDouble());
    }
    if (json.has("evBatteryWh")) {
      b.evBattery(json.get("evBatteryWh").asDouble(), json.path("initialSoc").asDouble(20));
    }
    return b.build();
  }

  public String vendor() {
    return vendor;
  }

  public String model() {
    return model;
  }

  /** The serial number, or null. */
  public String serialNumber() {
    return serialNumber;
  }

  public String firmwareVersion() {
    return firmwareVersion;
  }

  /** The meter type, or null. */
  public String meterType() {
    return meterType;
  }

  /** The EVSEs, in order (EVSE 1 first). */
  public List<Evse> evses() {
    return evses;
  }

  public Set<Feature> features() {
    return features;
  }

  public boolean supports(Feature feature) {
    return features.contains(feature);
  }

  /** How long a reboot keeps the station off line before it connects again. */
  public Duration rebootDelay() {
    return rebootDelay;
  }

  /** How long each simulated firmware, log or diagnostics step takes. */
  public Duration stepDelay() {
    return stepDelay;
  }

  /** Line-to-neutral voltage, for amperes to watts. */
  public double voltage() {
    return voltage;
  }

  /** The EV battery's capacity in Wh when the meter reports SoC, or null. */
  public Double evBatteryWh() {
    return evBatteryWh;
  }

  /** The EV battery's state of charge when plugged in, in percent. */
  public double initialSoc() {
    return initialSoc;
  }

  @Override
  public String toString() {
    return "StationProfile[" + vendor + " " + model + ", " + evses.size() + " EVSEs, " + features + "]";
  }

  private static String requireText(String value, String name, int max) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a station profile needs a " + name);
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(name + " is at most " + max + " characters: " + value);
    }
    return value;
  }

  private static Duration requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
    return d;
  }

  private static String text(JsonNode json, String name, String fallback) {
    JsonNode v = json.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isString()) {
      throw new IllegalArgumentException("station profile field \"" + name + "\" must be a string: " + v);
    }
    return v.asString();
  }

  private static Duration duration(JsonNode v, String name) {
    try {
      return v.isNumber() ? Duration.ofMillis(Math.round(v.asDouble() * 1000)) : Duration.parse(v.asString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("station profile field \"" + name + "\" is not a duration: " + v);
    }
  }

  /** Builds a {@link StationProfile}; every setting has a default but vendor and model. */
  public static final class Builder {
    private final String vendor;
    private final String model;
    private String serialNumber;
    private String firmwareVersion = "1.0.0";
    private String meterType;
    private final List<Evse> evses = new ArrayList<>();
    private final EnumSet<Feature> features = EnumSet.complementOf(EnumSet.of(Feature.DER_CONTROL, Feature.BATTERY_SWAP));
    private Duration rebootDelay = DEFAULT_REBOOT_DELAY;
    private Duration stepDelay = DEFAULT_STEP_DELAY;
    private double voltage = 230;
    private Double evBatteryWh;
    private double initialSoc = 20;

    private Builder(String vendor, String model) {
      this.vendor = vendor;
      this.model = model;
    }

    public Builder serialNumber(String serialNumber) {
      this.serialNumber = serialNumber;
      return this;
    }

    public Builder firmwareVersion(String firmwareVersion) {
      this.firmwareVersion = Objects.requireNonNull(firmwareVersion, "firmwareVersion");
      return this;
    }

    public Builder meterType(String meterType) {
      this.meterType = meterType;
      return this;
    }

    /** {@code count} EVSEs of one 22 kW three-phase connector each (replaces EVSEs added before). */
    public Builder connectors(int count) {
      if (count < 1 || count > 100) {
        throw new IllegalArgumentException("connectors must be 1..100: " + count);
      }
      evses.clear();
      for (int i = 0; i < count; i++) {
        evses.add(new Evse(1, 22_000, 3));
      }
      return this;
    }

    /** Adds one EVSE. */
    public Builder evse(Evse evse) {
      evses.add(Objects.requireNonNull(evse, "evse"));
      return this;
    }

    /** Exactly these features (CORE is required). */
    public Builder features(Collection<Feature> supported) {
      features.clear();
      features.addAll(supported);
      return this;
    }

    /** Exactly these features (CORE is required). */
    public Builder features(Feature... supported) {
      return features(List.of(supported));
    }

    public Builder without(Feature feature) {
      features.remove(feature);
      return this;
    }

    public Builder with(Feature feature) {
      features.add(feature);
      return this;
    }

    /** How long a reboot keeps the station off line ({@link #DEFAULT_REBOOT_DELAY}). */
    public Builder rebootDelay(Duration delay) {
      this.rebootDelay = delay;
      return this;
    }

    /** How long each simulated firmware, log or diagnostics step takes ({@link #DEFAULT_STEP_DELAY}). */
    public Builder stepDelay(Duration delay) {
      this.stepDelay = delay;
      return this;
    }

    public Builder voltage(double volts) {
      this.voltage = volts;
      return this;
    }

    /** Reports SoC for an EV of this capacity plugged in at {@code initialSocPercent}. */
    public Builder evBattery(double capacityWh, double initialSocPercent) {
      if (!(capacityWh > 0)) {
        throw new IllegalArgumentException("evBatteryWh must be positive: " + capacityWh);
      }
      this.evBatteryWh = capacityWh;
      this.initialSoc = initialSocPercent;
      return this;
    }

    public StationProfile build() {
      return new StationProfile(this);
    }
  }
}
