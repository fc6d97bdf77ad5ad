package dev.ocppj.chargepoint;

import java.time.OffsetDateTime;
import java.util.concurrent.ScheduledFuture;

/**
 * One EVSE of a 2.x station: its connectors' availability and last reported status, the cable,
 * the authorized token, the transaction and the reservation. Guarded by its station's lock.
 */
final class Cs2Evse {
  /** A transaction (E01: the station makes the id, a UUID). */
  static final class Tx {
    final String id;
    final OffsetDateTime started = AbstractStation.now();
    Integer remoteStartId;
    Integer reservationId;
    IdToken token;
    String chargingState;
    /** Whether the evse field (sent once, on the first event naming the connector) went out. */
    boolean evseSent;
    boolean connectorSent;
    boolean ended;
    long chargingSinceNanos = -1;
    long chargingNanos;
    ScheduledFuture<?> periodic;

    Tx(String id) {
      this.id = id;
    }

    /** Seconds spent in Charging so far (timeSpentCharging). */
    int secondsCharging() {
      long n = chargingNanos + (chargingSinceNanos < 0 ? 0 : System.nanoTime() - chargingSinceNanos);
      return (int) (n / 1_000_000_000L);
    }

    void state(String next) {
      if ("Charging".equals(chargingState) && !"Charging".equals(next) && chargingSinceNanos >= 0) {
        chargingNanos += System.nanoTime() - chargingSinceNanos;
        chargingSinceNanos = -1;
      } else if ("Charging".equals(next) && chargingSinceNanos < 0) {
        chargingSinceNanos = System.nanoTime();
      }
      chargingState = next;
    }
  }

  /** A reservation (H01). */
  record Reservation(int id, OffsetDateTime expiry, IdToken token, String groupId, int evseId, ScheduledFuture<?> timer) {}

  final int id;
  final int connectors;
  final Meter meter;
  /** Last status sent per connector (index connector - 1); null before the first. */
  final String[] reported;
  final boolean[] connectorInoperative;
  /** A ChangeAvailability for a connector waiting for the transaction to end (null: none). */
  final String[] pendingConnector;
  boolean inoperative;
  String pending;
  boolean faulted;
  /** The connector with a cable (0: none). */
  int plugged;
  boolean evSuspended;
  /** The token authorized here (before or during a transaction), or null. */
  IdToken token;
  String groupId;
  Tx tx;
  Reservation reservation;
  ScheduledFuture<?> connectionTimer;

  Cs2Evse(int id, StationProfile.Evse spec, StationProfile profile) {
    this.id = id;
    this.connectors = spec.connectors();
    this.meter = new Meter(spec, profile, 0);
    this.reported = new String[connectors];
    this.connectorInoperative = new boolean[connectors];
    this.pendingConnector = new String[connectors];
  }

  /**
   * The status connector {@code c} has now (G01-G04): Faulted, then Occupied (a cable or a
   * transaction), then Unavailable (inoperative; or another connector of this EVSE in use, which
   * blocks it), then Reserved, else Available.
   */
  String status(int c, boolean stationInoperative) {
    if (faulted) {
      return "Faulted";
    }
    if (plugged == c) {
      return "Occupied";
    }
    if (stationInoperative || inoperative || connectorInoperative[c - 1] || (plugged != 0 && plugged != c)) {
      return "Unavailable";
    }
    if (reservation != null) {
      return "Reserved";
    }
    return "Available";
  }

  boolean busy() {
    return tx != null || plugged != 0;
  }
}
