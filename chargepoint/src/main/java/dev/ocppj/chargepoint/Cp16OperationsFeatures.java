package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.StationJson.object;
import static dev.ocppj.chargepoint.StationJson.oneOf;
import static dev.ocppj.chargepoint.StationJson.optInt;
import static dev.ocppj.chargepoint.StationJson.optText;
import static dev.ocppj.chargepoint.StationJson.require;
import static dev.ocppj.chargepoint.StationJson.requireInt;
import static dev.ocppj.chargepoint.StationJson.requireText;
import static dev.ocppj.chargepoint.StationJson.requireTime;
import static dev.ocppj.chargepoint.StationJson.status;

import dev.ocppj.client.rpc.IncomingCall;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The 1.6 feature profiles beyond Core: RemoteTrigger, LocalAuthListManagement, Reservation,
 * SmartCharging, and FirmwareManagement's entry points (the sequences live in {@link Cp16Firmware}).
 * A station whose profile lacks a feature answers its operations with the CALLERROR NotSupported.
 */
final class Cp16OperationsFeatures {
  private final ChargePoint cp;

  Cp16OperationsFeatures(ChargePoint cp) {
    this.cp = cp;
  }

  void register() {
    cp.answer("TriggerMessage", Feature.REMOTE_TRIGGER, this::triggerMessage);
    // Section 5.9: -1 tells the CSMS the station has no local list; so it is answered even without the feature.
    cp.answer("GetLocalListVersion", call -> {
      synchronized (cp) {
        return object().put("listVersion", cp.profile.supports(Feature.LOCAL_AUTH_LIST_MANAGEMENT) ? cp.auth.version() : -1);
      }
    });
    cp.answer("SendLocalList", Feature.LOCAL_AUTH_LIST_MANAGEMENT, this::sendLocalList);
    cp.answer("ReserveNow", Feature.RESERVATION, this::reserveNow);
    cp.answer("CancelReservation", Feature.RESERVATION, this::cancelReservation);
    cp.answer("SetChargingProfile", Feature.SMART_CHARGING, this::setChargingProfile);
    cp.answer("ClearChargingProfile", Feature.SMART_CHARGING, this::clearChargingProfile);
    cp.answer("GetCompositeSchedule", Feature.SMART_CHARGING, this::getCompositeSchedule);
    cp.answer("GetDiagnostics", Feature.FIRMWARE_MANAGEMENT, cp.firmware::getDiagnostics);
    cp.answer("UpdateFirmware", Feature.FIRMWARE_MANAGEMENT, cp.firmware::updateFirmware);
  }

  // ---- RemoteTrigger

  /**
   * Section 5.17: Rejected for a connector the station does not have; every requestedMessage
   * 1.6 defines is Accepted and sent after the answer (NotImplemented for anything else).
   */
  private Object triggerMessage(IncomingCall call) {
    String message = requireText(call.params(), "requestedMessage");
    Integer id = optInt(call.params(), "connectorId", null);
    if (id != null && cp.connector(id) == null) {
      return status("Rejected");
    }
    Supplier<CompletableFuture<?>> step = triggered(message, id);
    if (step == null) {
      return status("NotImplemented");
    }
    cp.afterReply(call, "TriggerMessage " + message, step);
    return status("Accepted");
  }

  /** The message a (Extended)TriggerMessage asks for, shared by both; null for one it does not know. */
  Supplier<CompletableFuture<?>> triggered(String message, Integer id) {
    return switch (message) {
      case "BootNotification" -> () -> cp.send("BootNotification", cp.bootNotification("Triggered"));
      case "Heartbeat" -> () -> cp.send("Heartbeat", object());
      case "MeterValues" -> () -> cp.meters.trigger(id);
      case "StatusNotification" -> () -> cp.sessions.report(id == null ? -1 : id, true);
      case "DiagnosticsStatusNotification" -> cp.firmware::diagnosticsStatus;
      case "FirmwareStatusNotification" -> cp.firmware::firmwareStatus;
      default -> null;
    };
  }

  // ---- LocalAuthListManagement

  /**
   * Section 5.15: NotSupported while LocalAuthListEnabled is false; Failed for more entries than
   * SendLocalListMaxLength in one message or a list longer than LocalAuthListMaxLength;
   * VersionMismatch for a differential update not newer than the list; Accepted otherwise. A
   * differential entry without idTagInfo removes the idTag.
   */
  private Object sendLocalList(IncomingCall call) {
    JsonNode p = call.params();
    int version = requireInt(p, "listVersion");
    boolean full = oneOf("updateType", requireText(p, "updateType"), "Differential", "Full").equals("Full");
    JsonNode list = p.path("localAuthorizationList");
    List<Map.Entry<String, LocalAuthorization.Entry>> entries = new ArrayList<>();
    for (JsonNode e : list) {
      String tag = requireText(e, "idTag");
      JsonNode info = e.get("idTagInfo");
      LocalAuthorization.Entry entry = info == null || info.isNull() ? null
          : new LocalAuthorization.Entry(requireText(info, "status"), StationJson.optTime(info, "expiryDate"),
              optText(info, "parentIdTag"));
      entries.add(new AbstractMap.SimpleEntry<>(tag, entry));
    }
    synchronized (cp) {
      if (!cp.config.bool("LocalAuthListEnabled")) {
        return status("NotSupported");
      }
      if (entries.size() > cp.config.intValue("SendLocalListMaxLength")) {
        return status("Failed");
      }
      return status(cp.auth.update(full, version, entries));
    }
  }

  // ---- Reservation

  /**
   * Section 5.13: Rejected for connector 0 (ReserveConnectorZeroSupported is false), an unknown
   * connector or an expiry already past; Faulted, Unavailable; Occupied while a cable, a token,
   * a transaction or another reservation is there; Accepted otherwise (Reserved until the expiry
   * or its use). A reservationId in use elsewhere moves: the old one is replaced.
   */
  private Object reserveNow(IncomingCall call) {
    JsonNode p = call.params();
    int id = requireInt(p, "connectorId");
    OffsetDateTime expiry = requireTime(p, "expiryDate");
    String tag = requireText(p, "idTag");
    String parent = optText(p, "parentIdTag");
    int reservationId = requireInt(p, "reservationId");
    String status;
    synchronized (cp) {
      Cp16Connector c = id >= 1 ? cp.connector(id) : null;
      if (c == null || !expiry.isAfter(AbstractStation.now())) {
        return status("Rejected");
      }
      if (c.faulted) {
        status = "Faulted";
      } else if (c.inoperative || cp.connectors[0].inoperative) {
        status = "Unavailable";
      } else if (c.tx != null || c.plugged || c.finishing || c.authorizedTag != null
          || (c.reservation != null && c.reservation.id() != reservationId)) {
        status = "Occupied";
      } else {
        status = "Accepted";
        for (Cp16Connector other : cp.connectors) {
          if (other.reservation != null && other.reservation.id() == reservationId) {
            other.dropReservation();
          }
        }
        Duration left = Duration.between(AbstractStation.now(), expiry);
        c.reservation = new Cp16Connector.Reservation(reservationId, tag, parent, expiry,
            StationTimer.after(left, () -> expire(c, reservationId)));
      }
    }
    if (status.equals("Accepted")) {
      cp.afterReply(call, "ReserveNow", () -> cp.sessions.report(false));
    }
    return status(status);
  }

  private void expire(Cp16Connector c, int reservationId) {
    cp.enqueue("reservation " + reservationId + " expires", () -> {
      synchronized (cp) {
        if (c.reservation == null || c.reservation.id() != reservationId) {
          return AbstractStation.DONE;
        }
        c.reservation = null;
      }
      return cp.sessions.report(false);
    }).exceptionally(e -> {
      cp.failed("reservation expiry", e);
      return null;
    });
  }

  /** Section 5.1: Accepted (and the connector is free again) for a reservation the station holds, Rejected otherwise. */
  private Object cancelReservation(IncomingCall call) {
    int reservationId = requireInt(call.params(), "reservationId");
    boolean found = false;
    synchronized (cp) {
      for (Cp16Connector c : cp.connectors) {
        if (c.reservation != null && c.reservation.id() == reservationId) {
          c.dropReservation();
          found = true;
        }
      }
    }
    if (found) {
      cp.afterReply(call, "CancelReservation", () -> cp.sessions.report(false));
    }
    return status(found ? "Accepted" : "Rejected");
  }

  // ---- SmartCharging

  /**
   * Section 5.16 / 3.13: Rejected for an unknown connector, a profile it cannot read, a
   * TxProfile on connector 0 or without a (matching) transaction there, a ChargePointMaxProfile
   * on a connector other than 0, a stack level above ChargeProfileMaxStackLevel, more periods
   * than ChargingScheduleMaxPeriods, a rate unit not in ChargingScheduleAllowedChargingRateUnit,
   * or a new profile beyond MaxChargingProfilesInstalled. Accepted profiles cap the meters at once.
   */
  private Object setChargingProfile(IncomingCall call) {
    JsonNode p = call.params();
    int id = requireInt(p, "connectorId");
    JsonNode raw = require(p, "csChargingProfiles");
    synchronized (cp) {
      Cp16Connector c = cp.connector(id);
      if (c == null) {
        return status("Rejected");
      }
      ChargingProfiles.Profile profile;
      try {
        profile = ChargingProfiles.fromJson(raw, id);
      } catch (IllegalArgumentException e) {
        return status("Rejected");
      }
      if (!acceptable(profile, c)) {
        return status("Rejected");
      }
      if (profile.purpose() == ChargingProfiles.Purpose.TX && profile.transactionId() == null) {
        // A TxProfile belongs to the running transaction, and goes when it ends.
        profile = new ChargingProfiles.Profile(profile.id(), profile.stackLevel(), profile.purpose(), profile.kind(),
            profile.recurrency(), profile.validFrom(), profile.validTo(), id, c.tx.id, profile.schedules(), raw);
      }
      cp.profiles.add(profile);
      cp.meters.applyLimits();
    }
    cp.afterReply(call, "SetChargingProfile", () -> cp.sessions.report(false)); // a limit of 0 suspends
    return status("Accepted");
  }

  private boolean acceptable(ChargingProfiles.Profile profile, Cp16Connector c) {
    switch (profile.purpose()) {
      case TX -> {
        if (c.id == 0 || c.tx == null || (profile.transactionId() != null && !profile.transactionId().equals(c.tx.id))) {
          return false;
        }
      }
      case STATION_MAX -> {
        if (c.id != 0) {
          return false;
        }
      }
      case TX_DEFAULT -> { }
      default -> {
        return false;
      }
    }
    String units = cp.config.value("ChargingScheduleAllowedChargingRateUnit");
    for (ChargingProfiles.Schedule s : profile.schedules()) {
      if (s.periods().size() > cp.config.intValue("ChargingScheduleMaxPeriods")
          || !units.contains(s.unit().equals("A") ? "Current" : "Power")) {
        return false;
      }
    }
    boolean replaces = cp.profiles.profiles().stream().anyMatch(o -> o.id() == profile.id()
        || (o.stackLevel() == profile.stackLevel() && o.purpose() == profile.purpose() && o.evseId() == profile.evseId()));
    return profile.stackLevel() >= 0
        && profile.stackLevel() <= cp.config.intValue("ChargeProfileMaxStackLevel")
        && (replaces || cp.profiles.profiles().size() < cp.config.intValue("MaxChargingProfilesInstalled"));
  }

  /**
   * Section 5.5: with an id, that profile; otherwise those matching every filter given
   * (connectorId, chargingProfilePurpose, stackLevel; none: all). Accepted when one went, Unknown otherwise.
   */
  private Object clearChargingProfile(IncomingCall call) {
    JsonNode p = call.params();
    Integer id = optInt(p, "id", null);
    Integer connectorId = optInt(p, "connectorId", null);
    String purpose = optText(p, "chargingProfilePurpose");
    Integer stackLevel = optInt(p, "stackLevel", null);
    Predicate<ChargingProfiles.Profile> match = id != null ? pr -> pr.id() == id
        : pr -> (connectorId == null || pr.evseId() == connectorId)
            && (purpose == null || pr.purpose() == ChargingProfiles.purpose(purpose))
            && (stackLevel == null || pr.stackLevel() == stackLevel);
    int removed;
    synchronized (cp) {
      removed = cp.profiles.clear(match);
      cp.meters.applyLimits();
    }
    if (removed > 0) {
      cp.afterReply(call, "ClearChargingProfile", () -> cp.sessions.report(false));
    }
    return status(removed > 0 ? "Accepted" : "Unknown");
  }

  /**
   * Section 5.7: Rejected for an unknown connector; otherwise the stacked schedule from now for
   * {@code duration} seconds in the requested unit (A when none is asked for: both are allowed).
   */
  private Object getCompositeSchedule(IncomingCall call) {
    JsonNode p = call.params();
    int id = requireInt(p, "connectorId");
    int duration = requireInt(p, "duration");
    String unit = optText(p, "chargingRateUnit");
    unit = unit == null ? "A" : oneOf("chargingRateUnit", unit, "A", "W");
    ChargingProfiles.Schedule s;
    OffsetDateTime from = AbstractStation.now();
    synchronized (cp) {
      Cp16Connector c = cp.connector(id);
      if (c == null || duration < 0) {
        return status("Rejected");
      }
      int phases = c.meter != null ? c.meter.phases() : cp.profile.evses().get(0).phases();
      s = cp.profiles.composite(id, from, duration, unit, c.tx == null ? null : c.tx.id, Cp16Meters.txStart(c),
          cp.profile.voltage(), phases, c.maxPowerW);
    }
    ObjectNode answer = status("Accepted").put("connectorId", id).put("scheduleStart", StationJson.time(from));
    ObjectNode schedule = answer.putObject("chargingSchedule").put("duration", duration)
        .put("startSchedule", StationJson.time(from)).put("chargingRateUnit", unit);
    tools.jackson.databind.node.ArrayNode periods = schedule.putArray("chargingSchedulePeriod");
    for (ChargingProfiles.Period period : s.periods()) {
      ObjectNode out = periods.addObject()
          .put("startPeriod", period.startPeriod()).put("limit", period.limit());
      if (period.numberPhases() != null) {
        out.put("numberPhases", period.numberPhases());
      }
    }
    return answer;
  }
}
