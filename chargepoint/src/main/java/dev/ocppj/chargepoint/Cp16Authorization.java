package dev.ocppj.chargepoint;

import dev.ocppj.client.ClientState;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Authorization of an idTag on a 1.6 charge point (section 3.5): the local list, the cache,
 * Authorize, and the offline rules.
 */
final class Cp16Authorization {
  /** What authorization found: the status (Accepted, Blocked, Expired, Invalid, ConcurrentTx) and the parent id. */
  record IdTagInfo(String status, String parentIdTag) {
    boolean accepted() {
      return "Accepted".equals(status);
    }
  }

  private final ChargePoint cp;

  Cp16Authorization(ChargePoint cp) {
    this.cp = cp;
  }

  /**
   * Section 3.5: on line, a token Accepted in the local list (LocalAuthListEnabled) or the cache
   * (AuthorizationCacheEnabled) starts at once with LocalPreAuthorize; otherwise Authorize, whose
   * answer is cached. Off line: the list and cache decide with LocalAuthorizeOffline, an unknown
   * token is accepted only with AllowOfflineTxForUnknownId.
   */
  CompletableFuture<IdTagInfo> authorize(String tag) {
    boolean online = cp.client.state() == ClientState.OPEN;
    synchronized (cp) {
      LocalAuthorization.Entry e = cp.config.bool("LocalAuthListEnabled") ? cp.auth.listEntry(tag) : null;
      if (e == null && cp.config.bool("AuthorizationCacheEnabled")) {
        e = cp.auth.cacheEntry(tag);
      }
      String local = e == null ? null : e.statusAt(AbstractStation.now());
      String parent = e == null ? null : e.groupId();
      if (online && "Accepted".equals(local) && cp.config.bool("LocalPreAuthorize")) {
        return CompletableFuture.completedFuture(new IdTagInfo(local, parent));
      }
      if (!online) {
        if (local != null && cp.config.bool("LocalAuthorizeOffline")) {
          return CompletableFuture.completedFuture(new IdTagInfo(local, parent));
        }
        boolean unknownOk = local == null && cp.config.bool("AllowOfflineTxForUnknownId");
        return CompletableFuture.completedFuture(new IdTagInfo(unknownOk ? "Accepted" : "Invalid", null));
      }
    }
    return cp.send("Authorize", StationJson.object().put("idTag", tag)).thenApply(answer -> {
      JsonNode info = answer.path("idTagInfo");
      synchronized (cp) {
        cache(tag, info);
      }
      return new IdTagInfo(info.path("status").asString("Invalid"), info.path("parentIdTag").asString(null));
    });
  }

  /** Remembers the CSMS's idTagInfo for {@code tag} in the cache (section 3.5.2), when enabled. Under the lock. */
  void cache(String tag, JsonNode info) {
    if (info == null || !info.has("status") || !cp.config.bool("AuthorizationCacheEnabled")) {
      return;
    }
    OffsetDateTime expiry = null;
    try {
      expiry = info.has("expiryDate") ? OffsetDateTime.parse(info.get("expiryDate").asString()) : null;
    } catch (RuntimeException ignored) {
      // An unreadable expiry is no expiry.
    }
    cp.auth.cache(tag, new LocalAuthorization.Entry(info.get("status").asString(), expiry,
        info.path("parentIdTag").asString(null)));
  }
}
