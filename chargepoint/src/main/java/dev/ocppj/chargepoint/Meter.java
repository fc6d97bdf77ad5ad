package dev.ocppj.chargepoint;

/**
 * One EVSE's energy meter: counts Wh from the power drawn over real elapsed time, so meter values
 * advance as a real meter's do. The power is the smallest of the EVSE's maximum, the charging
 * limit in force (smart charging) and what the EV takes (it tapers above 80 % SoC, and is zero
 * while the EV suspends). Guarded by its station's lock.
 */
final class Meter {
  private final double maxPowerW;
  private final int phases;
  private final double voltage;
  private final Double batteryWh;
  private double wh;
  private double powerW;
  private double soc;
  private long lastNanos = System.nanoTime();
  private boolean drawing;
  private double limitW = Double.MAX_VALUE;

  Meter(StationProfile.Evse evse, StationProfile profile, double startWh) {
    this.maxPowerW = evse.maxPowerW();
    this.phases = evse.phases();
    this.voltage = profile.voltage();
    this.batteryWh = profile.evBatteryWh();
    this.soc = profile.initialSoc();
    this.wh = startWh;
  }

  /** Brings the count up to now and returns it, in Wh. */
  double energyWh() {
    long t = System.nanoTime();
    double hours = (t - lastNanos) / 3.6e12;
    lastNanos = t;
    wh += powerW * hours;
    if (batteryWh != null && powerW > 0) {
      soc = Math.min(100, soc + powerW * hours / batteryWh * 100);
    }
    powerW = target();
    return wh;
  }

  /** The power drawn now, in W. */
  double powerW() {
    energyWh();
    return powerW;
  }

  /** The current per phase, in A. */
  double currentA() {
    return powerW() / (voltage * phases);
  }

  double voltage() {
    return voltage;
  }

  int phases() {
    return phases;
  }

  /** State of charge in percent, or null without an EV battery in the profile. */
  Double soc() {
    energyWh();
    return batteryWh == null ? null : Math.floor(soc * 10) / 10;
  }

  /** The EV starts (or stops) drawing power; a new EV arrives at the profile's initial SoC. */
  void drawing(boolean on, double initialSoc) {
    energyWh();
    if (on && !drawing) {
      soc = initialSoc;
    }
    drawing = on;
    powerW = target();
  }

  /** The EV pauses or resumes without a new session. */
  void suspended(boolean suspended) {
    energyWh();
    drawing = !suspended;
    powerW = target();
  }

  /** The charging limit in force, in W (Double.MAX_VALUE: none). */
  void limitW(double watts) {
    energyWh();
    limitW = watts;
    powerW = target();
  }

  /** Amperes per phase to watts on this EVSE. */
  double ampsToWatts(double amps, Integer numberPhases) {
    return amps * voltage * (numberPhases == null ? phases : numberPhases);
  }

  private double target() {
    if (!drawing) {
      return 0;
    }
    double p = Math.min(maxPowerW, limitW);
    if (batteryWh != null && soc >= 80) {
      p *= Math.max(0.1, (100 - soc) / 20); // constant-voltage phase: the current tapers
    }
    return soc >= 100 ? 0 : Math.max(0, p);
  }
}
