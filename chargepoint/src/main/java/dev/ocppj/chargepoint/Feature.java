package dev.ocppj.chargepoint;

import java.util.Locale;

/**
 * What a station supports, as its profile declares it. An operation of a feature the profile
 * leaves out is answered with the CALLERROR {@code NotSupported}, as a real station without that
 * feature answers; everything else is answered from the station's state.
 *
 * <p>The 1.6 feature profiles map one to one ({@code SUPPORTED_FEATURE_PROFILES} lists them in
 * the 1.6 configuration key {@code SupportedFeatureProfiles}); 2.x functional blocks map to the
 * nearest feature (for example {@code DISPLAY_MESSAGES} is block O, {@code DIAGNOSTICS} covers
 * logs, monitoring and customer information).
 */
public enum Feature {
  /** 1.6 Core; 2.x provisioning, authorization, availability, transactions, remote control. */
  CORE("Core"),
  /** 1.6 FirmwareManagement (UpdateFirmware, GetDiagnostics); 2.x block L. */
  FIRMWARE_MANAGEMENT("FirmwareManagement"),
  /** 1.6 LocalAuthListManagement; 2.x block D. */
  LOCAL_AUTH_LIST_MANAGEMENT("LocalAuthListManagement"),
  /** 1.6 Reservation; 2.x block H. */
  RESERVATION("Reservation"),
  /** 1.6 SmartCharging; 2.x block K. */
  SMART_CHARGING("SmartCharging"),
  /** 1.6 RemoteTrigger; 2.x TriggerMessage. */
  REMOTE_TRIGGER("RemoteTrigger"),
  /** The 1.6 security extension and 2.x block A/M: certificates, signed firmware, security logs. */
  SECURITY("Security"),
  /** 2.x logs, monitoring (block N) and customer information; 1.6 GetDiagnostics goes with firmware. */
  DIAGNOSTICS("Diagnostics"),
  /** 2.x block O: display messages. */
  DISPLAY_MESSAGES("DisplayMessages"),
  /** 2.x block I (CostUpdated) and the 2.1 tariffs. */
  TARIFF_AND_COST("TariffAndCost"),
  /** 2.1 DER control (SetDERControl, GetDERControl, ClearDERControl); off by default. */
  DER_CONTROL("DERControl"),
  /** 2.1 bidirectional and dynamic charging (AFRRSignal, NotifyAllowedEnergyTransfer, UpdateDynamicSchedule, UsePriorityCharging). */
  BIDIRECTIONAL("Bidirectional"),
  /** 2.1 battery swapping; off by default (a charging station has no battery rack). */
  BATTERY_SWAP("BatterySwap");

  private final String ocppName;

  Feature(String ocppName) {
    this.ocppName = ocppName;
  }

  /** The spelling in OCPP and in profile files, for example {@code SmartCharging}. */
  public String ocppName() {
    return ocppName;
  }

  /**
   * Parses {@code SmartCharging}, {@code SMART_CHARGING} or {@code smart-charging}.
   *
   * @throws IllegalArgumentException naming the value and the known features
   */
  public static Feature parse(String text) {
    String key = text.trim().replace("-", "_").toUpperCase(Locale.ROOT);
    for (Feature f : values()) {
      if (f.name().equals(key) || f.ocppName.equalsIgnoreCase(text.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown feature \"" + text + "\"; known: "
        + java.util.Arrays.stream(values()).map(Feature::ocppName).toList());
  }
}
