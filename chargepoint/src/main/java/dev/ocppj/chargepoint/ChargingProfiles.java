package dev.ocppj.chargepoint;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A station's charging profiles and the limit they stack up to (1.6 section 3.13, 2.x block K):
 * within a purpose the profile with the highest stack level that is valid at a moment wins; a
 * running transaction's TxProfile overrides the TxDefaultProfiles (an EVSE's own default over the
 * station-wide one on EVSE 0); the station maximum and external constraints cap the result.
 * Both versions' spellings are read into one model. Guarded by its station's lock.
 */
final class ChargingProfiles {
  /** The purposes the stacking rules tell apart. */
  enum Purpose { STATION_MAX, TX_DEFAULT, TX, EXTERNAL, OTHER }

  /** One period: from {@code startPeriod} seconds after the schedule's start, at most {@code limit}. */
  record Period(int startPeriod, double limit, Integer numberPhases) {}

  /** A schedule: its start (null: relative or from the profile's validity), duration (null: open), unit and periods. */
  record Schedule(OffsetDateTime start, Integer duration, String unit, List<Period> periods, Double minChargingRate) {}

  /** A profile as installed; {@code raw} is the JSON the CSMS sent, for reporting it back. */
  record Profile(
      int id, int stackLevel, Purpose purpose, String kind, String recurrency,
      OffsetDateTime validFrom, OffsetDateTime validTo, int evseId, String transactionId,
      List<Schedule> schedules, JsonNode raw) {}

  /** How far ahead a composite schedule reaches at most: 31 days (a longer request gets 31 days). */
  static final int MAX_COMPOSITE_SECONDS = 31 * 86_400;

  private final List<Profile> profiles = new ArrayList<>();

  /** Maps 1.6 and 2.x purpose spellings. */
  static Purpose purpose(String wire) {
    return switch (wire) {
      case "ChargePointMaxProfile", "ChargingStationMaxProfile" -> Purpose.STATION_MAX;
      case "TxDefaultProfile" -> Purpose.TX_DEFAULT;
      case "TxProfile" -> Purpose.TX;
      case "ChargingStationExternalConstraints" -> Purpose.EXTERNAL;
      default -> Purpose.OTHER;
    };
  }

  /**
   * Reads a profile in the 1.6 spelling ({@code chargingProfileId}, one {@code chargingSchedule}
   * object, numeric transactionId) or the 2.x one ({@code id}, a list of schedules).
   *
   * @throws IllegalArgumentException naming what is missing or wrong
   */
  static Profile fromJson(JsonNode p, int evseId) {
    int id = requireInt(p, p.has("chargingProfileId") ? "chargingProfileId" : "id");
    int stackLevel = requireInt(p, "stackLevel");
    String purposeText = requireText(p, "chargingProfilePurpose");
    String kind = requireText(p, "chargingProfileKind");
    if (!List.of("Absolute", "Recurring", "Relative", "Dynamic").contains(kind)) {
      throw new IllegalArgumentException("unknown chargingProfileKind " + kind);
    }
    String recurrency = p.path("recurrencyKind").isString() ? p.path("recurrencyKind").asString() : null;
    if (kind.equals("Recurring") && recurrency == null) {
      throw new IllegalArgumentException("a Recurring profile needs a recurrencyKind");
    }
    JsonNode tx = p.get("transactionId");
    String txId = tx == null || tx.isNull() ? null : tx.isNumber() ? Long.toString(tx.asLong()) : tx.asString();
    List<Schedule> schedules = new ArrayList<>();
    JsonNode s = p.get("chargingSchedule");
    if (s == null) {
      throw new IllegalArgumentException("missing chargingSchedule");
    }
    for (JsonNode one : s.isArray() ? s : List.of(s)) {
      schedules.add(schedule(one));
    }
    if (schedules.isEmpty()) {
      throw new IllegalArgumentException("chargingSchedule is empty");
    }
    return new Profile(id, stackLevel, purpose(purposeText), kind, recurrency,
        time(p, "validFrom"), time(p, "validTo"), evseId, txId, List.copyOf(schedules), p);
  }

  private static Schedule schedule(JsonNode s) {
    String unit = requireText(s, "chargingRateUnit");
    if (!unit.equals("A") && !unit.equals("W")) {
      throw new IllegalArgumentException("chargingRateUnit must be A or W: " + unit);
    }
    List<Period> periods = new ArrayList<>();
    int last = -1;
    for (JsonNode period : s.path("chargingSchedulePeriod")) {
      int start = requireInt(period, "startPeriod");
      if (start <= last) {
        throw new IllegalArgumentException("startPeriod values must increase: " + start + " after " + last);
      }
      if (periods.isEmpty() && start != 0) {
        throw new IllegalArgumentException("the first period must start at 0, not " + start);
      }
      last = start;
      JsonNode phases = period.get("numberPhases");
      if (phases != null && !phases.isNull() && (!phases.canConvertToInt() || phases.asInt() < 1 || phases.asInt() > 3)) {
        throw new IllegalArgumentException("numberPhases must be 1, 2 or 3: " + phases);
      }
      JsonNode limit = period.get("limit"); // optional in 2.1 (a setpoint instead): 0 as before
      periods.add(new Period(start, limit == null || limit.isNull() ? 0 : requireNumber(period, "limit"),
          phases == null || phases.isNull() ? null : phases.asInt()));
    }
    if (periods.isEmpty()) {
      throw new IllegalArgumentException("a charging schedule needs at least one period");
    }
    JsonNode duration = s.get("duration");
    if (duration != null && !duration.isNull() && (!duration.isIntegralNumber() || !duration.canConvertToInt())) {
      throw new IllegalArgumentException("duration must be a 32-bit integer: " + duration);
    }
    JsonNode min = s.get("minChargingRate");
    return new Schedule(time(s, "startSchedule"), duration == null || duration.isNull() ? null : duration.asInt(), unit,
        List.copyOf(periods), min == null || min.isNull() ? null : requireNumber(s, "minChargingRate"));
  }

  /** Installs {@code p}, replacing a profile with its id and one with its stack level, purpose and EVSE. */
  void add(Profile p) {
    profiles.removeIf(o -> o.id() == p.id()
        || (o.stackLevel() == p.stackLevel() && o.purpose() == p.purpose() && o.evseId() == p.evseId()));
    profiles.add(p);
  }

  List<Profile> profiles() {
    return List.copyOf(profiles);
  }

  /** Removes every profile {@code match} accepts; returns how many. */
  int clear(Predicate<Profile> match) {
    int before = profiles.size();
    profiles.removeIf(match);
    return before - profiles.size();
  }

  /** A transaction ended: its TxProfiles go with it (1.6 3.13.4, 2.x K01.FR.05). */
  void transactionEnded(String transactionId) {
    profiles.removeIf(p -> p.purpose() == Purpose.TX && transactionId != null && transactionId.equals(p.transactionId()));
  }

  /**
   * The composite schedule of {@code evseId} (0: the station) for {@code durationS} seconds from
   * {@code from}, in {@code unit}: a period wherever the stacked limit changes.
   */
  Schedule composite(int evseId, OffsetDateTime from, int durationS, String unit, String txId,
      OffsetDateTime txStart, double voltage, int phases, double hardwareMaxW) {
    // The work is bounded whatever the CSMS asks: at most MAX_COMPOSITE_SECONDS ahead.
    durationS = Math.max(0, Math.min(durationS, MAX_COMPOSITE_SECONDS));
    TreeSet<Long> edges = new TreeSet<>();
    edges.add(0L);
    OffsetDateTime end = from.plusSeconds(durationS);
    for (Profile p : profiles) {
      List<OffsetDateTime> times;
      try {
        times = boundaries(p, from, end, txStart);
      } catch (java.time.DateTimeException outOfRange) {
        continue; // a profile dated near the calendar's limits changes nothing in the window
      }
      for (OffsetDateTime t : times) {
        long offset = Duration.between(from, t).getSeconds();
        if (offset > 0 && offset < durationS) {
          edges.add(offset);
        }
      }
    }
    List<Period> periods = new ArrayList<>();
    double lastLimit = Double.NaN;
    for (long offset : edges) {
      double watts = limitW(evseId, from.plusSeconds(offset), txId, txStart, voltage, phases, hardwareMaxW);
      double limit = unit.equals("A") ? watts / (voltage * phases) : watts;
      limit = Math.round(limit * 10) / 10.0;
      if (limit != lastLimit) {
        periods.add(new Period((int) offset, limit, phases));
        lastLimit = limit;
      }
    }
    return new Schedule(from, durationS, unit, List.copyOf(periods), null);
  }

  /** The stacked limit of {@code evseId} at {@code at}, in W; {@code hardwareMaxW} where nothing limits. */
  double limitW(int evseId, OffsetDateTime at, String txId, OffsetDateTime txStart,
      double voltage, int phases, double hardwareMaxW) {
    double limit = hardwareMaxW;
    limit = Math.min(limit, top(Purpose.STATION_MAX, 0, at, null, txStart, voltage, phases));
    limit = Math.min(limit, top(Purpose.EXTERNAL, evseId, at, null, txStart, voltage, phases));
    if (evseId == 0) {
      return limit;
    }
    double tx = txId == null ? Double.NaN : top(Purpose.TX, evseId, at, txId, txStart, voltage, phases);
    if (Double.isNaN(tx) || tx == Double.MAX_VALUE) {
      double own = top(Purpose.TX_DEFAULT, evseId, at, null, txStart, voltage, phases);
      tx = own != Double.MAX_VALUE ? own : top(Purpose.TX_DEFAULT, 0, at, null, txStart, voltage, phases);
    }
    return Math.min(limit, tx);
  }

  // The limit of the highest-stack-level profile of this purpose and EVSE in force at `at`, in
  // W; MAX_VALUE when none is. A TxProfile counts only for its transaction (one without an id
  // applies to the EVSE's running transaction).
  private double top(Purpose purpose, int evseId, OffsetDateTime at, String txId, OffsetDateTime txStart,
      double voltage, int phases) {
    Profile best = null;
    Period bestPeriod = null;
    String bestUnit = null;
    for (Profile p : profiles) {
      if (p.purpose() != purpose || p.evseId() != evseId
          || (purpose == Purpose.TX && p.transactionId() != null && !p.transactionId().equals(txId))
          || (p.validFrom() != null && at.isBefore(p.validFrom()))
          || (p.validTo() != null && !at.isBefore(p.validTo()))
          || (best != null && best.stackLevel() >= p.stackLevel())) {
        continue;
      }
      for (Schedule s : p.schedules()) {
        Period period = periodAt(p, s, at, txStart);
        if (period != null) {
          best = p;
          bestPeriod = period;
          bestUnit = s.unit();
          break;
        }
      }
    }
    if (bestPeriod == null) {
      return Double.MAX_VALUE;
    }
    int n = bestPeriod.numberPhases() == null ? phases : Math.min(phases, bestPeriod.numberPhases());
    return bestUnit.equals("A") ? bestPeriod.limit() * voltage * n : bestPeriod.limit();
  }

  // The period of schedule s in force at `at`, or null outside the schedule.
  private static Period periodAt(Profile p, Schedule s, OffsetDateTime at, OffsetDateTime txStart) {
    OffsetDateTime start = start(p, s, at, txStart);
    if (start == null) {
      return null;
    }
    long offset = Duration.between(start, at).getSeconds();
    if (offset < 0 || (s.duration() != null && offset >= s.duration())) {
      return null;
    }
    Period in = null;
    for (Period period : s.periods()) {
      if (period.startPeriod() <= offset) {
        in = period;
      }
    }
    return in;
  }

  // When the schedule's time 0 is for the moment `at`: its start, the transaction's for a
  // relative one, the latest daily/weekly repetition not after `at` for a recurring one.
  private static OffsetDateTime start(Profile p, Schedule s, OffsetDateTime at, OffsetDateTime txStart) {
    switch (p.kind()) {
      case "Relative":
        return txStart != null ? txStart : at;
      case "Recurring": {
        OffsetDateTime base = s.start() != null ? s.start() : p.validFrom();
        if (base == null) {
          return null;
        }
        long period = "Weekly".equals(p.recurrency()) ? 7 * 86_400L : 86_400L;
        long since = Duration.between(base, at).getSeconds();
        return base.plusSeconds(Math.floorDiv(since, period) * period);
      }
      default:
        return s.start() != null ? s.start() : p.validFrom() != null ? p.validFrom() : txStart;
    }
  }

  // Times within [from, end) where one of p's schedules can change the limit.
  private static List<OffsetDateTime> boundaries(Profile p, OffsetDateTime from, OffsetDateTime end,
      OffsetDateTime txStart) {
    List<OffsetDateTime> out = new ArrayList<>();
    if (p.validFrom() != null) {
      out.add(p.validFrom());
    }
    if (p.validTo() != null) {
      out.add(p.validTo());
    }
    boolean recurring = "Recurring".equals(p.kind());
    long every = "Weekly".equals(p.recurrency()) ? 7 * 86_400L : 86_400L;
    for (Schedule s : p.schedules()) {
      OffsetDateTime first = start(p, s, from, txStart);
      // A recurring schedule repeats across the window; 400 repetitions bound a year of days.
      for (int rep = 0; first != null && rep < (recurring ? 400 : 1); rep++) {
        OffsetDateTime base = first.plusSeconds(rep * every);
        if (!base.isBefore(end)) {
          break;
        }
        for (Period period : s.periods()) {
          out.add(base.plusSeconds(period.startPeriod()));
        }
        if (s.duration() != null) {
          out.add(base.plusSeconds(s.duration()));
        }
      }
    }
    return out;
  }

  private static int requireInt(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("missing or non-integer (32-bit) " + name);
    }
    return v.asInt();
  }

  // A finite number (1e400 reads as Infinity, which no limit can be).
  private static double requireNumber(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new IllegalArgumentException("missing or non-numeric " + name + ": " + v);
    }
    return v.asDouble();
  }

  private static String requireText(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isString()) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v.asString();
  }

  private static OffsetDateTime time(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v.asString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " is not a date-time: " + v);
    }
  }
}
