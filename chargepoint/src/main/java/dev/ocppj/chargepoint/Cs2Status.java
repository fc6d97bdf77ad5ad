package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.timestamp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.node.ObjectNode;

/**
 * Connector status and availability (G01-G04): the StatusNotification of each connector (all of
 * them after a boot, then each change), the AvailabilityState and Available variables, and the
 * ChangeAvailability or Reset OnIdle that waited for the last transaction to end. It is apart
 * from {@link ChargingStation} because it is the diffing of derived state against what was last
 * reported, not an entry point; the state it reads (the EVSEs, {@code inoperative}, the pending
 * availability and reset) stays on the station, guarded by the station's lock.
 */
final class Cs2Status {
  private final ChargingStation s;

  Cs2Status(ChargingStation s) {
    this.s = s;
  }

  /** A StatusNotification for every connector, each remembered as reported (after a boot or reconnect). */
  List<ObjectNode> all() {
    List<ObjectNode> all = new ArrayList<>();
    synchronized (s) {
      for (Cs2Evse e : s.evses) {
        for (int c = 1; c <= e.connectors; c++) {
          e.reported[c - 1] = e.status(c, s.inoperative);
          all.add(statusNotification(e.id, c, e.reported[c - 1]));
        }
      }
    }
    return all;
  }

  /**
   * Sends a StatusNotification for every connector whose status changed since the last one (G01:
   * on each change), in EVSE and connector order.
   */
  CompletableFuture<Void> report() {
    List<ObjectNode> changes = new ArrayList<>();
    List<int[]> where = new ArrayList<>();
    synchronized (s) {
      for (Cs2Evse e : s.evses) {
        for (int c = 1; c <= e.connectors; c++) {
          String now = e.status(c, s.inoperative);
          if (!now.equals(e.reported[c - 1])) {
            e.reported[c - 1] = now;
            changes.add(statusNotification(e.id, c, now));
            where.add(new int[] {e.id, c});
          }
        }
      }
    }
    for (int i = 0; i < changes.size(); i++) {
      int evse = where.get(i)[0];
      String st = changes.get(i).path("connectorStatus").asString();
      s.emit(l -> l.onStatus(evse, st));
    }
    return s.sendAll("StatusNotification", changes);
  }

  static ObjectNode statusNotification(int evse, int connector, String status) {
    return object().put("timestamp", timestamp()).put("connectorStatus", status)
        .put("evseId", evse).put("connectorId", connector);
  }

  /**
   * After a transaction ended: a ChangeAvailability that was Scheduled applies (G03.FR.05), a
   * Reset OnIdle runs once the last one is over (B12.FR.03), then statuses go out.
   */
  CompletableFuture<Void> transactionsEnded() {
    boolean reset = false;
    synchronized (s) {
      boolean any = false;
      for (Cs2Evse e : s.evses) {
        if (e.tx != null) {
          any = true;
          continue;
        }
        if (e.pending != null) {
          e.inoperative = e.pending.equals("Inoperative");
          e.pending = null;
        }
        for (int c = 0; c < e.connectors; c++) {
          if (e.pendingConnector[c] != null) {
            e.connectorInoperative[c] = e.pendingConnector[c].equals("Inoperative");
            e.pendingConnector[c] = null;
          }
        }
      }
      if (!any && s.pendingAvailability != null) {
        s.inoperative = s.pendingAvailability.equals("Inoperative");
        s.pendingAvailability = null;
      }
      if (!any && s.resetPending) {
        s.resetPending = false;
        reset = true;
      }
    }
    if (reset) {
      // Queued after the step in hand: the reboot waits for this step's messages.
      s.reboot("OnIdle", "ImmediateReset", "RemoteReset").exceptionally(x -> null);
    }
    return report();
  }

  boolean faultedAt(Cs2DeviceModel.Loc at) {
    synchronized (s) {
      if (at.evse() == 0) {
        for (Cs2Evse e : s.evses) {
          if (!e.faulted) {
            return false;
          }
        }
        return true;
      }
      return s.evses[at.evse() - 1].faulted;
    }
  }

  String availabilityState(Cs2DeviceModel.Loc at) {
    synchronized (s) {
      if (at.evse() == 0) {
        return s.inoperative ? "Unavailable" : "Available";
      }
      Cs2Evse e = s.evses[at.evse() - 1];
      if (at.connector() == 0) {
        return e.faulted ? "Faulted" : e.busy() ? "Occupied" : e.inoperative || s.inoperative ? "Unavailable"
            : e.reservation != null ? "Reserved" : "Available";
      }
      return e.status(at.connector(), s.inoperative);
    }
  }
}
