package dev.ocppj.examples.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A charge point's configuration: 1.6 configuration keys, or 2.x variables named {@code
 * Component/Variable}. Values are text, as on the wire; numeric and boolean settings reject
 * values of the wrong kind, read-only ones reject every change. Thread-safe.
 */
final class Settings {
  enum Kind {
    NUMBER,
    BOOLEAN,
    TEXT
  }

  enum Change {
    ACCEPTED,
    REJECTED,
    UNKNOWN
  }

  /** One setting: its current value, what it may hold, and whether the CSMS may change it. */
  record Setting(String key, String value, Kind kind, boolean readOnly) {}

  private final Map<String, Setting> settings = new LinkedHashMap<>();

  synchronized Settings add(String key, String value, Kind kind, boolean readOnly) {
    settings.put(key, new Setting(key, value, kind, readOnly));
    return this;
  }

  /** The setting named {@code key}, or null. */
  synchronized Setting get(String key) {
    return settings.get(key);
  }

  synchronized Iterable<Setting> all() {
    return java.util.List.copyOf(settings.values());
  }

  /** A numeric setting's value, or {@code fallback} if it is missing. */
  synchronized int number(String key, int fallback) {
    Setting s = settings.get(key);
    return s == null ? fallback : Integer.parseInt(s.value());
  }

  /** A boolean setting's value, or false if it is missing. */
  synchronized boolean flag(String key) {
    Setting s = settings.get(key);
    return s != null && Boolean.parseBoolean(s.value());
  }

  /** Sets {@code key} as the CSMS asks, if it exists, is writable and {@code value} fits. */
  synchronized Change change(String key, String value) {
    Setting s = settings.get(key);
    if (s == null) {
      return Change.UNKNOWN;
    }
    if (s.readOnly() || !fits(s.kind(), value)) {
      return Change.REJECTED;
    }
    settings.put(key, new Setting(key, value, s.kind(), false));
    return Change.ACCEPTED;
  }

  /** Sets {@code key} as the charge point itself decides (for example the boot interval). */
  synchronized void update(String key, String value) {
    Setting s = settings.get(key);
    if (s != null) {
      settings.put(key, new Setting(key, value, s.kind(), s.readOnly()));
    }
  }

  private static boolean fits(Kind kind, String value) {
    return switch (kind) {
      case NUMBER -> value.matches("\\d{1,9}");
      case BOOLEAN -> value.equals("true") || value.equals("false");
      case TEXT -> true;
    };
  }
}
