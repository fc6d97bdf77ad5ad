package dev.ocppj.chargepoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The 1.6 configuration keys (section 9 and the security whitepaper's section 5): the core keys
 * and those of each feature profile the station supports, each with its accessibility and a
 * validator. Guarded by its station's lock.
 */
final class Cp16Configuration {
  /** The measurands the meter model produces; a real meter rejects the others too. */
  static final Set<String> MEASURANDS = Set.of("Energy.Active.Import.Register", "Power.Active.Import",
      "Current.Import", "Voltage", "SoC", "Current.Offered", "Power.Offered");
  static final int MAX_MEASURANDS = MEASURANDS.size();
  /** Keys whose change takes effect only after a reboot (answered RebootRequired). */
  private static final Set<String> REBOOT_REQUIRED = Set.of("SecurityProfile");

  /** One key: its value, whether the CSMS may change it, whether GetConfiguration shows its value. */
  static final class Key {
    final String name;
    final boolean readOnly;
    final boolean writeOnly;
    final Predicate<String> valid;
    String value;

    Key(String name, String value, boolean readOnly, boolean writeOnly, Predicate<String> valid) {
      this.name = name;
      this.value = value;
      this.readOnly = readOnly;
      this.writeOnly = writeOnly;
      this.valid = valid;
    }
  }

  private final Map<String, Key> keys = new LinkedHashMap<>();

  Cp16Configuration(StationProfile profile, int listMaxLength, int certificateCapacity, int securityProfile) {
    int n = profile.evses().size();
    // Core (section 9.1)
    rw("AllowOfflineTxForUnknownId", "false", Cp16Configuration::isBool);
    rw("AuthorizationCacheEnabled", "true", Cp16Configuration::isBool);
    rw("AuthorizeRemoteTxRequests", "false", Cp16Configuration::isBool);
    rw("ClockAlignedDataInterval", "0", v -> integer(v, 0, 86_400));
    rw("ConnectionTimeOut", "60", v -> integer(v, 0, 86_400));
    List<String> rotation = new ArrayList<>();
    for (int i = 0; i <= n; i++) {
      rotation.add(i + ".RST");
    }
    rw("ConnectorPhaseRotation", String.join(",", rotation),
        v -> v.isEmpty() || List.of(v.split(",")).stream().allMatch(
            e -> e.trim().matches("\\d+\\.(RST|RTS|SRT|STR|TRS|TSR|NotApplicable|Unknown)")));
    ro("GetConfigurationMaxKeys", "50");
    rw("HeartbeatInterval", "300", v -> integer(v, 0, 86_400 * 7));
    rw("LocalAuthorizeOffline", "true", Cp16Configuration::isBool);
    rw("LocalPreAuthorize", "false", Cp16Configuration::isBool);
    rw("MeterValuesAlignedData", "Energy.Active.Import.Register", Cp16Configuration::isMeasurands);
    ro("MeterValuesAlignedDataMaxLength", Integer.toString(MAX_MEASURANDS));
    rw("MeterValuesSampledData", "Energy.Active.Import.Register,Power.Active.Import", Cp16Configuration::isMeasurands);
    ro("MeterValuesSampledDataMaxLength", Integer.toString(MAX_MEASURANDS));
    rw("MeterValueSampleInterval", "60", v -> integer(v, 0, 86_400));
    ro("NumberOfConnectors", Integer.toString(n));
    rw("ResetRetries", "3", v -> integer(v, 0, 100));
    rw("StopTransactionOnEVSideDisconnect", "true", Cp16Configuration::isBool);
    rw("StopTransactionOnInvalidId", "true", Cp16Configuration::isBool);
    rw("StopTxnAlignedData", "", Cp16Configuration::isMeasurands);
    ro("StopTxnAlignedDataMaxLength", Integer.toString(MAX_MEASURANDS));
    rw("StopTxnSampledData", "", Cp16Configuration::isMeasurands);
    ro("StopTxnSampledDataMaxLength", Integer.toString(MAX_MEASURANDS));
    ro("SupportedFeatureProfiles", profile.features().stream()
        .filter(f -> f.ordinal() <= Feature.REMOTE_TRIGGER.ordinal())
        .sorted().map(Feature::ocppName).collect(Collectors.joining(",")));
    rw("TransactionMessageAttempts", "3", v -> integer(v, 1, 100));
    rw("TransactionMessageRetryInterval", "60", v -> integer(v, 1, 86_400));
    rw("UnlockConnectorOnEVSideDisconnect", "true", Cp16Configuration::isBool);
    rw("WebSocketPingInterval", "0", v -> integer(v, 0, 86_400));
    if (profile.supports(Feature.LOCAL_AUTH_LIST_MANAGEMENT)) { // section 9.2
      rw("LocalAuthListEnabled", "true", Cp16Configuration::isBool);
      ro("LocalAuthListMaxLength", Integer.toString(listMaxLength));
      ro("SendLocalListMaxLength", Integer.toString(Math.min(listMaxLength, 100)));
    }
    if (profile.supports(Feature.RESERVATION)) { // section 9.3
      ro("ReserveConnectorZeroSupported", "false");
    }
    if (profile.supports(Feature.SMART_CHARGING)) { // section 9.4
      ro("ChargeProfileMaxStackLevel", "10");
      ro("ChargingScheduleAllowedChargingRateUnit", "Current,Power");
      ro("ChargingScheduleMaxPeriods", "24");
      ro("ConnectorSwitch3to1PhaseSupported", "false");
      ro("MaxChargingProfilesInstalled", "20");
    }
    if (profile.supports(Feature.SECURITY)) { // security whitepaper section 5
      ro("AdditionalRootCertificateCheck", "false");
      keys.put("AuthorizationKey", new Key("AuthorizationKey", "", false, true, v -> v.length() >= 16 && v.length() <= 40));
      ro("CertificateSignedMaxChainSize", "10000");
      ro("CertificateStoreMaxLength", Integer.toString(certificateCapacity));
      rw("CpoName", "", v -> v.length() <= 100);
      // Whitepaper 1.3.4: the security profile may be raised, never lowered.
      rw("SecurityProfile", Integer.toString(securityProfile), v -> integer(v, 0, 3) && Integer.parseInt(v) >= intValue("SecurityProfile"));
    }
  }

  private void rw(String name, String value, Predicate<String> valid) {
    keys.put(name, new Key(name, value, false, false, valid));
  }

  private void ro(String name, String value) {
    keys.put(name, new Key(name, value, true, false, v -> false));
  }

  /** The key, or null when the station does not know it. */
  Key key(String name) {
    return keys.get(name);
  }

  Collection<Key> keys() {
    return keys.values();
  }

  /** The value of a key this class defines (null for an unknown or write-only key). */
  String value(String name) {
    Key k = keys.get(name);
    return k == null || k.writeOnly ? null : k.value;
  }

  int intValue(String name) {
    String v = value(name);
    return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
  }

  /** A boolean key's value; false when the key is absent (its feature is not supported). */
  boolean bool(String name) {
    return "true".equals(value(name));
  }

  /** The measurands a CSL key lists, in order. */
  List<String> measurands(String name) {
    String v = value(name);
    return v == null || v.isBlank() ? List.of() : List.of(v.split(",")).stream().map(String::trim).toList();
  }

  /**
   * ChangeConfiguration (section 5.3): NotSupported for an unknown key, Rejected for a read-only
   * key or an invalid value, RebootRequired where the change needs one, Accepted otherwise.
   * Booleans are stored in lower case.
   */
  String change(String name, String value) {
    Key k = keys.get(name);
    if (k == null) {
      return "NotSupported";
    }
    if (k.readOnly || !k.valid.test(value)) {
      return "Rejected";
    }
    k.value = isBool(k.value) && isBool(value) ? value.toLowerCase(Locale.ROOT) : value.trim();
    return REBOOT_REQUIRED.contains(name) ? "RebootRequired" : "Accepted";
  }

  private static boolean isBool(String v) {
    return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
  }

  private static boolean integer(String v, int min, int max) {
    try {
      int i = Integer.parseInt(v.trim());
      return i >= min && i <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isMeasurands(String v) {
    if (v.isBlank()) {
      return true;
    }
    String[] parts = v.split(",");
    return parts.length <= MAX_MEASURANDS && List.of(parts).stream().allMatch(m -> MEASURANDS.contains(m.trim()));
  }
}
