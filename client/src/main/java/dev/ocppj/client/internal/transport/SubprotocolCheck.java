package dev.ocppj.client.internal.transport;

import java.util.List;

/** The check both transports make of the subprotocol a server selected in its upgrade answer. */
final class SubprotocolCheck {
  private SubprotocolCheck() {}

  /** Why {@code selected} (the header's value, may be null) is refused; null if it is fine. */
  static String rejection(String selected, List<String> offered) {
    if (selected == null || selected.isBlank()) {
      return "server selected no subprotocol (offered: " + String.join(", ", offered) + ")";
    }
    if (!offered.contains(selected.trim())) {
      return "server selected subprotocol '" + selected.trim() + "', which was not offered"
          + " (offered: " + String.join(", ", offered) + ")";
    }
    return null;
  }
}
