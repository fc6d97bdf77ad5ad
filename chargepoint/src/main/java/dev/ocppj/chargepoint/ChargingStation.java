package dev.ocppj.chargepoint;

import dev.ocppj.client.OcppClient;

/** Placeholder while the model is written. */
public final class ChargingStation {
  private ChargingStation() {}

  public static VirtualStation create(OcppClient client, StationProfile profile) {
    throw new UnsupportedOperationException("not yet");
  }
}
