package dev.ocppj.chargepoint;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One 1.6 connector (or connector 0, the station): what is physically and logically going on at
 * it. Its ChargePointStatus is derived from that state (section 4.9's table), so every event
 * only changes facts and the status follows; a change of availability requested during a
 * transaction (Scheduled) takes effect by itself when the transaction ends. Guarded by the
 * station's lock.
 */
final class Cp16Connector {
  /**
   * Error codes that leave the connector usable (section 7.6: a StatusNotification may carry an
   * error with an unchanged status, e.g. a card reader failing); the others fault it.
   */
  static final Set<String> NON_BLOCKING_ERRORS = Set.of("WeakSignal", "ReaderFailure", "PowerMeterFailure",
      "ResetFailure", "LocalListConflict");
  static final Set<String> ERROR_CODES = Set.of("ConnectorLockFailure", "EVCommunicationError", "GroundFailure",
      "HighTemperature", "InternalError", "LocalListConflict", "OtherError", "OverCurrentFailure", "OverVoltage",
      "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure", "ResetFailure", "UnderVoltage", "WeakSignal");
  /** transactionData samples kept per transaction (a long session must not grow without bound). */
  static final int MAX_TRANSACTION_DATA = 100;

  /** A running transaction. */
  static final class Transaction {
    final String id;
    final String idTag;
    final String parentIdTag;
    final OffsetDateTime start;
    final long meterStartWh;
    /** The CSMS answered StartTransaction with an idTagInfo other than Accepted (kept running: SuspendedEVSE). */
    boolean invalid;
    final List<ObjectNode> data = new ArrayList<>();
    ScheduledFuture<?> sampler;

    Transaction(String id, String idTag, String parentIdTag, OffsetDateTime start, long meterStartWh) {
      this.id = id;
      this.idTag = idTag;
      this.parentIdTag = parentIdTag;
      this.start = start;
      this.meterStartWh = meterStartWh;
    }

    void record(ObjectNode meterValue) {
      if (data.size() < MAX_TRANSACTION_DATA) {
        data.add(meterValue);
      }
    }
  }

  /** A reservation (section 5.13). */
  record Reservation(int id, String idTag, String parentIdTag, OffsetDateTime expiry, ScheduledFuture<?> timer) {
    boolean matches(String tag, String parent) {
      return idTag.equals(tag) || (parentIdTag != null && parentIdTag.equals(parent)) || (parent != null && parent.equals(idTag));
    }
  }

  final int id;
  final Meter meter; // null for connector 0
  final double maxPowerW;
  String errorCode = "NoError";
  boolean faulted;
  boolean inoperative;
  boolean plugged;
  boolean evSuspended;
  boolean finishing;
  /** The limit the charging profiles set, in W (0 suspends the EVSE). */
  double limitW = Double.MAX_VALUE;
  /** A token authorized here (presented or remote start) waiting for a cable, or null. */
  String authorizedTag;
  String authorizedParent;
  ScheduledFuture<?> connectionTimer;
  /** The TxProfile a RemoteStartTransaction brought, installed when its transaction starts. */
  JsonNode remoteProfile;
  Transaction tx;
  Reservation reservation;
  /** The status and error code last sent (null: not sent, or its sending failed). */
  String reported;

  Cp16Connector(int id, StationProfile.Evse evse, StationProfile profile) {
    this.id = id;
    this.meter = evse == null ? null : new Meter(evse, profile, 0);
    this.maxPowerW = evse == null ? profile.evses().stream().mapToDouble(StationProfile.Evse::maxPowerW).sum() : evse.maxPowerW();
  }

  /**
   * The status from the facts (section 4.9): a fault first, then a transaction (charging or
   * suspended by the EV or the EVSE), then unavailability (the scheduled change applies once the
   * transaction is over), the end of a session with the cable still in, a cable or a waiting
   * token, a reservation.
   */
  String status(boolean stationInoperative) {
    if (faulted) {
      return "Faulted";
    }
    if (id == 0) {
      return inoperative ? "Unavailable" : "Available";
    }
    if (tx != null) {
      if (evSuspended) {
        return "SuspendedEV";
      }
      return tx.invalid || limitW <= 0 ? "SuspendedEVSE" : "Charging";
    }
    if (inoperative || stationInoperative) {
      return "Unavailable";
    }
    if (finishing) {
      return "Finishing";
    }
    if (plugged || authorizedTag != null) {
      return "Preparing";
    }
    return reservation != null ? "Reserved" : "Available";
  }

  /** Whether a new session can begin here for {@code tag} (a reservation for another tag blocks it). */
  boolean canStart(boolean stationInoperative, String tag, String parent) {
    return !faulted && !inoperative && !stationInoperative && tx == null && !finishing
        && (authorizedTag == null || authorizedTag.equals(tag))
        && (reservation == null || reservation.matches(tag, parent));
  }

  void cancelConnectionTimer() {
    if (connectionTimer != null) {
      connectionTimer.cancel(false);
      connectionTimer = null;
    }
  }

  void cancelSampler() {
    if (tx != null && tx.sampler != null) {
      tx.sampler.cancel(false);
      tx.sampler = null;
    }
  }

  void dropReservation() {
    if (reservation != null) {
      if (reservation.timer() != null) {
        reservation.timer().cancel(false);
      }
      reservation = null;
    }
  }
}
