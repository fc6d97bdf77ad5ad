package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.status;

import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Authorization data, reservations and the network (blocks B09, C, D, H, N09):
 * ClearCache, SendLocalList, GetLocalListVersion, ReserveNow, CancelReservation,
 * CustomerInformation and SetNetworkProfile.
 */
final class Cs2OperationsAuth {
  private final ChargingStation s;

  Cs2OperationsAuth(ChargingStation s) {
    this.s = s;
  }

  void register() {
    s.answer("ClearCache", this::clearCache);
    s.answer("SendLocalList", Feature.LOCAL_AUTH_LIST_MANAGEMENT, this::sendLocalList);
    s.answer("GetLocalListVersion", Feature.LOCAL_AUTH_LIST_MANAGEMENT, this::localListVersion);
    s.answer("ReserveNow", Feature.RESERVATION, this::reserveNow);
    s.answer("CancelReservation", Feature.RESERVATION, this::cancelReservation);
    s.answer("CustomerInformation", Feature.DIAGNOSTICS, this::customerInformation);
    s.answer("SetNetworkProfile", this::setNetworkProfile);
  }

  private Object clearCache(IncomingCall call) {
    synchronized (s) {
      // C11.FR.04: Rejected while the cache is disabled.
      if (!s.model().boolValue("AuthCacheCtrlr", "Enabled", true)) {
        return status("Rejected");
      }
      s.auth().clearCache();
    }
    return status("Accepted");
  }

  private Object sendLocalList(IncomingCall call) {
    JsonNode p = call.params();
    int version = Cs2Json.requireInt(p, "versionNumber");
    String type = Cs2Json.requireText(p, "updateType");
    if (!type.equals("Full") && !type.equals("Differential")) {
      throw new RpcException.PropertyConstraintViolation("updateType must be Full or Differential: " + type);
    }
    List<Map.Entry<String, LocalAuthorization.Entry>> entries = new ArrayList<>();
    for (JsonNode item : p.path("localAuthorizationList")) {
      IdToken token = Cs2Json.token(Cs2Json.requireObject(item, "idToken"));
      JsonNode info = item.get("idTokenInfo");
      LocalAuthorization.Entry entry = null;
      if (info != null && info.isObject()) {
        String expiry = info.path("cacheExpiryDateTime").asString(null);
        entry = new LocalAuthorization.Entry(Cs2Json.requireText(info, "status"),
            expiry == null ? null : parse(expiry), info.path("groupIdToken").path("idToken").asString(null));
      }
      entries.add(new AbstractMap.SimpleEntry<>(token.value(), entry));
    }
    synchronized (s) {
      // D01.FR.?: a list the station keeps disabled cannot be updated.
      if (!s.model().boolValue("LocalAuthListCtrlr", "Enabled", true)) {
        return status("Failed", "Disabled", null);
      }
      return status(s.auth().update(type.equals("Full"), version, entries));
    }
  }

  private Object localListVersion(IncomingCall call) {
    synchronized (s) {
      return object().put("versionNumber", s.auth().version());
    }
  }

  private Object reserveNow(IncomingCall call) {
    JsonNode p = call.params();
    int id = Cs2Json.requireInt(p, "id");
    OffsetDateTime expiry = parse(Cs2Json.requireText(p, "expiryDateTime"));
    IdToken token = Cs2Json.token(Cs2Json.requireObject(p, "idToken"));
    String group = p.path("groupIdToken").path("idToken").asString(null);
    synchronized (s) {
      if (!s.model().boolValue("ReservationCtrlr", "Enabled", true) || !expiry.isAfter(AbstractStation.now())) {
        return status("Rejected");
      }
      // H01.FR.02: a reservation with the same id is replaced.
      Cs2Evse previous = withReservation(id);
      List<Cs2Evse> candidates = new ArrayList<>();
      if (p.has("evseId")) {
        Cs2Evse e = s.evseOrNull(p.path("evseId").asInt(-1));
        if (e == null) {
          return status("Rejected", "UnknownEvse", null);
        }
        candidates.add(e);
      } else {
        // Not EVSE-specific (NonEvseSpecific true): the first free EVSE takes it.
        candidates.addAll(Arrays.asList(s.evses));
      }
      String worst = "Occupied";
      for (Cs2Evse e : candidates) {
        String st = e.faulted ? "Faulted" : e.inoperative || s.inoperative ? "Unavailable"
            : e.busy() || (e.reservation != null && e != previous) ? "Occupied" : "Accepted";
        if (st.equals("Accepted")) {
          if (previous != null) {
            previous.reservation.timer().cancel(false);
            previous.reservation = null;
          }
          var timer = StationTimer.after(java.time.Duration.between(AbstractStation.now(), expiry), () -> s.enqueue("reservation " + id + " expired",
              () -> expired(e, id)).exceptionally(x -> null));
          e.reservation = new Cs2Evse.Reservation(id, expiry, token, group, p.has("evseId") ? e.id : 0, timer);
          s.afterReply(call, "reservation " + id, s::reportStatuses);
          return status("Accepted");
        }
        if (candidates.size() == 1) {
          worst = st;
        }
      }
      return status(worst);
    }
  }

  // H01.FR.?: an expired reservation frees the EVSE and is reported Expired.
  private CompletableFuture<Void> expired(Cs2Evse e, int id) {
    synchronized (s) {
      if (e.reservation == null || e.reservation.id() != id) {
        return AbstractStation.DONE;
      }
      e.reservation = null;
    }
    return s.send("ReservationStatusUpdate", object().put("reservationId", id).put("reservationUpdateStatus", "Expired"))
        .thenCompose(a -> s.reportStatuses());
  }

  private Cs2Evse withReservation(int id) {
    for (Cs2Evse e : s.evses) {
      if (e.reservation != null && e.reservation.id() == id) {
        return e;
      }
    }
    return null;
  }

  private Object cancelReservation(IncomingCall call) {
    int id = Cs2Json.requireInt(call.params(), "reservationId");
    synchronized (s) {
      Cs2Evse e = withReservation(id);
      if (e == null) {
        return status("Rejected");
      }
      e.reservation.timer().cancel(false);
      e.reservation = null;
    }
    s.afterReply(call, "reservation " + id + " cancelled", s::reportStatuses);
    return status("Accepted");
  }

  private Object customerInformation(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = Cs2Json.requireInt(p, "requestId");
    boolean report = p.path("report").asBoolean(false);
    boolean clear = p.path("clear").asBoolean(false);
    if (!p.has("report") || !p.has("clear")) {
      throw new RpcException.OccurrenceConstraintViolation("report and clear are required");
    }
    JsonNode token = p.get("idToken");
    String who = token != null ? token.path("idToken").asString(null)
        : p.path("customerIdentifier").asString(null);
    if (who == null && p.has("customerCertificate")) {
      who = "certificate " + p.path("customerCertificate").path("serialNumber").asString("");
    }
    // N09.FR.?: a report or clear needs one identifier of the customer.
    if ((report || clear) && who == null) {
      return status("Invalid", "NoIdentifier", null);
    }
    if (report) {
      String data;
      synchronized (s) {
        LocalAuthorization.Entry list = s.auth().listEntry(who);
        LocalAuthorization.Entry cached = s.auth().cacheEntry(who);
        data = "customer " + who + ": local list " + (list == null ? "none" : list.status())
            + ", cache " + (cached == null ? "none" : cached.status()) + (clear ? "; cleared" : "");
      }
      String text = data.length() > 512 ? data.substring(0, 512) : data;
      s.afterReply(call, "NotifyCustomerInformation " + requestId, () -> s.send("NotifyCustomerInformation",
          object().put("data", text).put("tbc", false).put("seqNo", 0)
              .put("generatedAt", Cs2Json.timestamp()).put("requestId", requestId)));
    }
    return status("Accepted");
  }

  private Object setNetworkProfile(IncomingCall call) {
    JsonNode p = call.params();
    int slot = Cs2Json.requireInt(p, "configurationSlot");
    JsonNode data = Cs2Json.requireObject(p, "connectionData");
    int security = Cs2Json.requireInt(data, "securityProfile");
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      // B09.FR.?: an unknown slot, or a lower security profile than the current one, is rejected.
      if (slot < 1 || slot > 8) {
        return status("Rejected", "InvalidSlot", null);
      }
      if (security < m.intValue("SecurityCtrlr", "SecurityProfile", null, 1)) {
        return status("Rejected", "LowerSecurity", null);
      }
    }
    return status("Accepted");
  }

  private static OffsetDateTime parse(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new RpcException.FormatViolation("not a date-time: " + text);
    }
  }
}
