package dev.ocppj.client.internal.session;

import dev.ocppj.client.OcppAction;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.v16.Ocpp16;
import dev.ocppj.client.v201.Ocpp201;
import dev.ocppj.client.v21.Ocpp21;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The actions each OCPP version defines, from the generated descriptors. */
final class StandardActions {
  private static final Map<OcppVersion, Set<String>> NAMES = new EnumMap<>(OcppVersion.class);

  static {
    NAMES.put(OcppVersion.V1_6, names(Ocpp16.ACTIONS));
    NAMES.put(OcppVersion.V2_0_1, names(Ocpp201.ACTIONS));
    NAMES.put(OcppVersion.V2_1, names(Ocpp21.ACTIONS));
  }

  private StandardActions() {}

  private static Set<String> names(List<OcppAction<?, ?>> actions) {
    Set<String> s = new HashSet<>();
    for (OcppAction<?, ?> a : actions) {
      s.add(a.name());
    }
    return Set.copyOf(s);
  }

  /** True if {@code version} defines {@code action} (in either direction). */
  static boolean defines(OcppVersion version, String action) {
    Set<String> s = version == null ? null : NAMES.get(version);
    return s != null && s.contains(action);
  }
}
