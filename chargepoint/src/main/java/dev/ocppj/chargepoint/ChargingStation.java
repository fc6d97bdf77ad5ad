package dev.ocppj.chargepoint;

/** Placeholder while the model is written. */
public final class ChargingStation {
  private ChargingStation() {}
}
