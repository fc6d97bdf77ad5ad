package dev.ocppj.client;

import java.util.Objects;
import java.util.Optional;

/** An OCPP version that the client can speak, with the WebSocket subprotocol that names it. */
public enum OcppVersion {
  /** OCPP 1.6 (OCPP-J 1.6), subprotocol {@code ocpp1.6}. */
  V1_6("ocpp1.6"),
  /** OCPP 2.0.1, subprotocol {@code ocpp2.0.1}. */
  V2_0_1("ocpp2.0.1"),
  /** OCPP 2.1, subprotocol {@code ocpp2.1}. */
  V2_1("ocpp2.1");

  private final String subprotocol;

  OcppVersion(String subprotocol) {
    this.subprotocol = subprotocol;
  }

  /** The {@code Sec-WebSocket-Protocol} token, for example {@code ocpp2.0.1}. */
  public String subprotocol() {
    return subprotocol;
  }

  /** True for 2.0.1 and later, which share the 2.x RPC error table. */
  public boolean isAtLeast(OcppVersion other) {
    return compareTo(other) >= 0;
  }

  /** The version a subprotocol token names, or empty if it names none of ours. */
  public static Optional<OcppVersion> fromSubprotocol(String subprotocol) {
    Objects.requireNonNull(subprotocol, "subprotocol");
    for (OcppVersion v : values()) {
      if (v.subprotocol.equals(subprotocol)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return subprotocol;
  }
}
