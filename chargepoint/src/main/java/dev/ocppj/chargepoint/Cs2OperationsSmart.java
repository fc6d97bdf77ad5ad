package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.status;

import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Smart charging (block K): SetChargingProfile, GetChargingProfiles, ClearChargingProfile,
 * GetCompositeSchedule, and under 2.1 UpdateDynamicSchedule and UsePriorityCharging. The limit
 * in force caps each EVSE's meter.
 */
final class Cs2OperationsSmart {
  static final int MAX_STACK_LEVEL = 10;
  static final int MAX_PERIODS = 24;
  private final ChargingStation s;

  Cs2OperationsSmart(ChargingStation s) {
    this.s = s;
  }

  void register() {
    s.answer("SetChargingProfile", Feature.SMART_CHARGING, this::setProfile);
    s.answer("GetChargingProfiles", Feature.SMART_CHARGING, this::getProfiles);
    s.answer("ClearChargingProfile", Feature.SMART_CHARGING, this::clearProfile);
    s.answer("GetCompositeSchedule", Feature.SMART_CHARGING, this::composite);
    s.answer("UpdateDynamicSchedule", Feature.BIDIRECTIONAL, Cs2Operations21.only21(s, this::updateDynamic));
    s.answer("UsePriorityCharging", Feature.BIDIRECTIONAL, Cs2Operations21.only21(s, this::usePriority));
  }

  /** Sets every EVSE meter's limit to the stacked profiles' limit now. */
  static void applyLimits(ChargingStation s) {
    synchronized (s) {
      OffsetDateTime now = AbstractStation.now();
      for (Cs2Evse e : s.evses) {
        StationProfile.Evse spec = s.profile().evses().get(e.id - 1);
        e.meter.limitW(s.profiles().limitW(e.id, now, e.tx == null ? null : e.tx.id,
            e.tx == null ? null : e.tx.started, s.profile().voltage(), spec.phases(), spec.maxPowerW()));
      }
    }
  }

  private Object setProfile(IncomingCall call) {
    JsonNode p = call.params();
    int evseId = Cs2Json.requireInt(p, "evseId");
    JsonNode json = Cs2Json.requireObject(p, "chargingProfile");
    synchronized (s) {
      if (!s.model().boolValue("SmartChargingCtrlr", "Enabled", true)) {
        return status("Rejected", "Disabled", null);
      }
      if (evseId != 0 && s.evseOrNull(evseId) == null) {
        return status("Rejected", "UnknownEvse", null);
      }
      ChargingProfiles.Profile profile;
      try {
        profile = ChargingProfiles.fromJson(json, evseId);
      } catch (IllegalArgumentException e) {
        return status("Rejected", "InvalidProfile", e.getMessage());
      }
      String purpose = json.path("chargingProfilePurpose").asString("");
      switch (profile.purpose()) {
        case STATION_MAX -> {
          if (evseId != 0) {
            return status("Rejected", "InvalidEvse", "ChargingStationMaxProfile is for EVSE 0 only");
          }
        }
        case EXTERNAL -> {
          // K01.FR.?: external constraints come from an EMS, never from the CSMS.
          return status("Rejected", "InvalidProfile", "ChargingStationExternalConstraints cannot be set by the CSMS");
        }
        case TX -> {
          Cs2Evse e = s.evseOrNull(evseId);
          // K01.FR.03: a TxProfile needs a transaction on its EVSE.
          if (e == null || e.tx == null) {
            return status("Rejected", "TxNotFound", null);
          }
          if (profile.transactionId() != null && !profile.transactionId().equals(e.tx.id)) {
            return status("Rejected", "TxNotFound", null);
          }
          profile = new ChargingProfiles.Profile(profile.id(), profile.stackLevel(), profile.purpose(), profile.kind(),
              profile.recurrency(), profile.validFrom(), profile.validTo(), evseId, e.tx.id, profile.schedules(), profile.raw());
        }
        case OTHER -> {
          if (!s.v21()) {
            return status("Rejected", "UnsupportedPurpose", purpose);
          }
        }
        default -> { }
      }
      if (profile.stackLevel() < 0 || profile.stackLevel() > MAX_STACK_LEVEL) {
        return status("Rejected", "InvalidStackLevel", null);
      }
      for (ChargingProfiles.Schedule sc : profile.schedules()) {
        if (sc.periods().size() > MAX_PERIODS) {
          return status("Rejected", "TooManyPeriods", null);
        }
      }
      s.profiles().add(profile);
    }
    applyLimits(s);
    return status("Accepted");
  }

  private Object getProfiles(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = Cs2Json.requireInt(p, "requestId");
    JsonNode criterion = Cs2Json.requireObject(p, "chargingProfile");
    Integer evseId = p.has("evseId") ? p.path("evseId").asInt() : null;
    Map<Integer, List<JsonNode>> byEvse = new TreeMap<>();
    synchronized (s) {
      for (ChargingProfiles.Profile pr : s.profiles().profiles()) {
        if (matches(pr, evseId, criterion)) {
          byEvse.computeIfAbsent(pr.evseId(), k -> new ArrayList<>()).add(reported(pr));
        }
      }
    }
    if (byEvse.isEmpty()) {
      return status("NoProfiles");
    }
    // K09: one ReportChargingProfiles per EVSE (and source), tbc on all but the last.
    List<ObjectNode> messages = new ArrayList<>();
    for (Map.Entry<Integer, List<JsonNode>> e : byEvse.entrySet()) {
      ObjectNode m = object().put("requestId", requestId).put("chargingLimitSource", "CSO").put("evseId", e.getKey());
      ArrayNode list = m.putArray("chargingProfile");
      e.getValue().forEach(list::add);
      messages.add(m);
    }
    for (int i = 0; i < messages.size(); i++) {
      messages.get(i).put("tbc", i < messages.size() - 1);
    }
    s.afterReply(call, "ReportChargingProfiles " + requestId, () -> s.sendAll("ReportChargingProfiles", messages));
    return status("Accepted");
  }

  private static JsonNode reported(ChargingProfiles.Profile pr) {
    ObjectNode raw = (ObjectNode) pr.raw().deepCopy();
    if (pr.transactionId() != null && raw.path("chargingProfilePurpose").asString("").equals("TxProfile")) {
      raw.put("transactionId", pr.transactionId());
    }
    return raw;
  }

  private static boolean matches(ChargingProfiles.Profile pr, Integer evseId, JsonNode c) {
    if (evseId != null && pr.evseId() != evseId) {
      return false;
    }
    if (c.has("chargingProfilePurpose")
        && !c.path("chargingProfilePurpose").asString().equals(pr.raw().path("chargingProfilePurpose").asString())) {
      return false;
    }
    if (c.has("stackLevel") && c.path("stackLevel").asInt() != pr.stackLevel()) {
      return false;
    }
    if (c.has("chargingProfileId")) {
      boolean any = false;
      for (JsonNode id : c.get("chargingProfileId")) {
        any |= id.asInt() == pr.id();
      }
      if (!any) {
        return false;
      }
    }
    if (c.has("chargingLimitSource")) {
      boolean cso = false;
      for (JsonNode src : c.get("chargingLimitSource")) {
        cso |= src.asString("").equals("CSO");
      }
      return cso; // every profile here came from the CSMS
    }
    return true;
  }

  private Object clearProfile(IncomingCall call) {
    JsonNode p = call.params();
    JsonNode idNode = p.get("chargingProfileId");
    JsonNode c = p.get("chargingProfileCriteria");
    int removed;
    synchronized (s) {
      removed = s.profiles().clear(pr -> {
        if (idNode != null && !idNode.isNull()) {
          return pr.id() == idNode.asInt();
        }
        if (c == null) {
          return true; // K10: no id and no criteria clears every profile
        }
        return (!c.has("evseId") || c.path("evseId").asInt() == pr.evseId())
            && (!c.has("chargingProfilePurpose")
                || c.path("chargingProfilePurpose").asString().equals(pr.raw().path("chargingProfilePurpose").asString()))
            && (!c.has("stackLevel") || c.path("stackLevel").asInt() == pr.stackLevel());
      });
    }
    applyLimits(s);
    return status(removed > 0 ? "Accepted" : "Unknown");
  }

  private Object composite(IncomingCall call) {
    JsonNode p = call.params();
    int duration = Cs2Json.requireInt(p, "duration");
    int evseId = Cs2Json.requireInt(p, "evseId");
    String unit = p.path("chargingRateUnit").asString("W");
    if (!unit.equals("A") && !unit.equals("W")) {
      throw new RpcException.PropertyConstraintViolation("chargingRateUnit must be A or W: " + unit);
    }
    ChargingProfiles.Schedule sc;
    OffsetDateTime now = AbstractStation.now();
    synchronized (s) {
      if (duration < 0 || (evseId != 0 && s.evseOrNull(evseId) == null)) {
        return status("Rejected", "UnknownEvse", null);
      }
      List<StationProfile.Evse> specs = s.profile().evses();
      int phases;
      double max;
      String txId = null;
      OffsetDateTime txStart = null;
      if (evseId == 0) {
        phases = specs.stream().mapToInt(StationProfile.Evse::phases).max().orElse(3);
        max = specs.stream().mapToDouble(StationProfile.Evse::maxPowerW).sum();
      } else {
        Cs2Evse e = s.evseOrNull(evseId);
        phases = specs.get(evseId - 1).phases();
        max = specs.get(evseId - 1).maxPowerW();
        if (e.tx != null) {
          txId = e.tx.id;
          txStart = e.tx.started;
        }
      }
      sc = s.profiles().composite(evseId, now, duration, unit, txId, txStart, s.profile().voltage(), phases, max);
    }
    ObjectNode answer = status("Accepted");
    ObjectNode schedule = answer.putObject("schedule").put("evseId", evseId).put("duration", duration)
        .put("scheduleStart", Cs2Json.timestamp(now)).put("chargingRateUnit", unit);
    ArrayNode periods = schedule.putArray("chargingSchedulePeriod");
    for (ChargingProfiles.Period period : sc.periods()) {
      ObjectNode o = periods.addObject().put("startPeriod", period.startPeriod()).put("limit", period.limit());
      if (period.numberPhases() != null) {
        o.put("numberPhases", period.numberPhases());
      }
    }
    return answer;
  }

  private Object updateDynamic(IncomingCall call) {
    int id = Cs2Json.requireInt(call.params(), "chargingProfileId");
    JsonNode update = Cs2Json.requireObject(call.params(), "scheduleUpdate");
    synchronized (s) {
      for (ChargingProfiles.Profile pr : s.profiles().profiles()) {
        if (pr.id() == id && "Dynamic".equals(pr.kind())) {
          if (update.has("limit")) {
            // K?: the update replaces the dynamic profile's limit until the next one.
            List<ChargingProfiles.Schedule> schedules = new ArrayList<>();
            for (ChargingProfiles.Schedule sc : pr.schedules()) {
              ChargingProfiles.Period first = sc.periods().get(0);
              schedules.add(new ChargingProfiles.Schedule(sc.start(), sc.duration(), sc.unit(),
                  List.of(new ChargingProfiles.Period(0, update.path("limit").asDouble(), first.numberPhases())),
                  sc.minChargingRate()));
            }
            s.profiles().add(new ChargingProfiles.Profile(pr.id(), pr.stackLevel(), pr.purpose(), pr.kind(), pr.recurrency(),
                pr.validFrom(), pr.validTo(), pr.evseId(), pr.transactionId(), List.copyOf(schedules), pr.raw()));
          }
          applyLimits(s);
          return status("Accepted");
        }
      }
    }
    return status("Rejected", "UnknownProfile", null);
  }

  private Object usePriority(IncomingCall call) {
    String txId = Cs2Json.requireText(call.params(), "transactionId");
    if (!call.params().has("activate")) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field activate");
    }
    synchronized (s) {
      Cs2Evse at = null;
      for (Cs2Evse e : s.evses) {
        if (e.tx != null && e.tx.id.equals(txId)) {
          at = e;
        }
      }
      if (at == null) {
        return status("Rejected", "TxNotFound", null);
      }
      int evse = at.id;
      boolean has = s.profiles().profiles().stream().anyMatch(pr -> (pr.evseId() == evse || pr.evseId() == 0)
          && "PriorityCharging".equals(pr.raw().path("chargingProfilePurpose").asString()));
      return status(has ? "Accepted" : "NoProfile");
    }
  }
}
