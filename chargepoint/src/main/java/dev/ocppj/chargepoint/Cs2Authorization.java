package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;

import dev.ocppj.client.ClientState;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authorization of a token (C01, C10-C13): the local authorization list, the authorization cache
 * (LocalPreAuthorize, LocalAuthorizeOffline, OfflineTxForUnknownIdEnabled), else an Authorize
 * request whose answer is cached. It holds no state of its own (the list and cache are the
 * station's {@link LocalAuthorization}), so it is a set of static steps apart from
 * {@link Cs2Transactions}: a token presented at an EVSE and a RequestStartTransaction with
 * AuthorizeRemoteStart both authorize through it before a session starts.
 */
final class Cs2Authorization {
  private Cs2Authorization() {}

  /** The idTokenInfo for {@code token}: local list, cache (LocalPreAuthorize), else Authorize. */
  static CompletableFuture<JsonNode> authorize(ChargingStation s, IdToken token) {
    boolean online = s.client().state() == ClientState.OPEN;
    synchronized (s) {
      Cs2DeviceModel m = s.model();
      if (!m.boolValue("AuthCtrlr", "Enabled", true)) {
        return CompletableFuture.completedFuture(object().put("status", "Accepted"));
      }
      boolean local = !online ? m.boolValue("AuthCtrlr", "LocalAuthorizeOffline", true)
          : m.boolValue("AuthCtrlr", "LocalPreAuthorize", false);
      OffsetDateTime now = AbstractStation.now();
      if (local) {
        LocalAuthorization.Entry entry = m.boolValue("LocalAuthListCtrlr", "Enabled", false)
            ? s.auth().listEntry(token.value()) : null;
        if (entry == null && m.boolValue("AuthCacheCtrlr", "Enabled", true)) {
          entry = s.auth().cacheEntry(token.value());
        }
        if (entry != null && ("Accepted".equals(entry.statusAt(now)) || !online)) {
          ObjectNode info = object().put("status", entry.statusAt(now));
          if (entry.groupId() != null) {
            info.putObject("groupIdToken").put("idToken", entry.groupId()).put("type", "Central");
          }
          return CompletableFuture.completedFuture(info);
        }
      }
      if (!online) {
        return CompletableFuture.completedFuture(object().put("status",
            m.boolValue("AuthCtrlr", "OfflineTxForUnknownIdEnabled", false) ? "Accepted" : "Unknown"));
      }
    }
    ObjectNode req = object();
    req.set("idToken", Cs2Json.idToken(token));
    return s.send("Authorize", req).thenApply(answer -> {
      JsonNode info = answer.path("idTokenInfo");
      remember(s, token, info);
      return info;
    });
  }

  private static void remember(ChargingStation s, IdToken token, JsonNode info) {
    if (info.isMissingNode()) {
      return;
    }
    synchronized (s) {
      if (s.model().boolValue("AuthCacheCtrlr", "Enabled", true)) {
        String expiry = info.path("cacheExpiryDateTime").asString(null);
        OffsetDateTime until = null;
        try {
          until = expiry == null ? null : OffsetDateTime.parse(expiry);
        } catch (java.time.format.DateTimeParseException unreadable) {
          // Cached without an expiry: a CSMS's bad date must not refuse a token it accepted.
        }
        s.auth().cache(token.value(), new LocalAuthorization.Entry(info.path("status").asString("Invalid"),
            until, info.path("groupIdToken").path("idToken").asString(null)));
      }
    }
  }
}
