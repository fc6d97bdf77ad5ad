package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.StationJson.object;
import static dev.ocppj.chargepoint.StationJson.oneOf;
import static dev.ocppj.chargepoint.StationJson.requireInt;
import static dev.ocppj.chargepoint.StationJson.requireText;
import static dev.ocppj.chargepoint.StationJson.status;

import dev.ocppj.client.rpc.IncomingCall;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The 1.6 Core profile's CSMS-initiated operations (section 5). Answers come from the state
 * under the station's lock; what an answer leads to runs after it was sent (afterReply).
 */
final class Cp16OperationsCore {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargePoint cp;

  Cp16OperationsCore(ChargePoint cp) {
    this.cp = cp;
  }

  void register() {
    cp.answer("ChangeAvailability", this::changeAvailability);
    cp.answer("ChangeConfiguration", this::changeConfiguration);
    cp.answer("ClearCache", this::clearCache);
    cp.answer("DataTransfer", this::dataTransfer);
    cp.answer("GetConfiguration", this::getConfiguration);
    cp.answer("RemoteStartTransaction", this::remoteStart);
    cp.answer("RemoteStopTransaction", this::remoteStop);
    cp.answer("Reset", this::reset);
    cp.answer("UnlockConnector", this::unlockConnector);
  }

  /**
   * Section 5.2: Rejected for an unknown connector; Scheduled when a transaction runs at a
   * connector going Inoperative (it becomes Unavailable when the transaction ends); connector 0
   * changes the station and every connector.
   */
  private Object changeAvailability(IncomingCall call) {
    JsonNode p = call.params();
    int id = requireInt(p, "connectorId");
    boolean off = oneOf("type", requireText(p, "type"), "Inoperative", "Operative").equals("Inoperative");
    String status = "Accepted";
    synchronized (cp) {
      if (cp.connector(id) == null) {
        return status("Rejected");
      }
      for (Cp16Connector c : cp.connectors) {
        if (id == 0 || c.id == id) {
          c.inoperative = off;
          if (off && c.tx != null) {
            status = "Scheduled";
          }
          if (off && c.tx == null) {
            c.cancelConnectionTimer(); // a token waiting for a cable gives up
            c.authorizedTag = null;
            c.remoteProfile = null;
          }
        }
      }
    }
    cp.afterReply(call, "ChangeAvailability", () -> cp.sessions.report(false));
    return status(status);
  }

  /**
   * Section 5.3: NotSupported for an unknown key, Rejected for a read-only key or a value its
   * validator refuses, RebootRequired for SecurityProfile (the client's TLS and credentials
   * are set when it is built, so a new profile applies after a reboot by the user), Accepted
   * otherwise; HeartbeatInterval, the meter intervals and the client's ping and transaction
   * retry settings apply at once.
   */
  private Object changeConfiguration(IncomingCall call) {
    String key = requireText(call.params(), "key");
    String value = requireText(call.params(), "value");
    String status;
    synchronized (cp) {
      status = cp.config.change(key, value);
    }
    if (status.equals("Accepted")) {
      apply(key, value.trim());
    }
    return status(status);
  }

  private void apply(String key, String value) {
    try {
      switch (key) {
        case "HeartbeatInterval" -> cp.heartbeatInterval(Duration.ofSeconds(Integer.parseInt(value)));
        case "MeterValueSampleInterval" -> cp.meters.rearmSamplers();
        case "ClockAlignedDataInterval" -> cp.meters.armAligned();
        case "WebSocketPingInterval" -> cp.client.reconfigure(b -> b.pingInterval(Duration.ofSeconds(Integer.parseInt(value))));
        case "TransactionMessageAttempts" -> cp.client.reconfigure(b -> b.transactionMessageAttempts(Integer.parseInt(value)));
        case "TransactionMessageRetryInterval" ->
            cp.client.reconfigure(b -> b.transactionMessageRetryInterval(Duration.ofSeconds(Integer.parseInt(value))));
        case "AuthorizationKey" -> {
          int profile = cp.client.options().security().profile();
          if (profile == 1 || profile == 2) { // whitepaper 1.3: the Basic auth password, used from the next connect
            cp.client.reconfigure(b -> b.password(value));
          }
        }
        default -> {
          // Read where it is used.
        }
      }
    } catch (IllegalArgumentException e) {
      cp.failed("ChangeConfiguration " + key, e);
    }
  }

  /** Section 5.4: Rejected while the authorization cache is disabled (nothing to clear), Accepted otherwise. */
  private Object clearCache(IncomingCall call) {
    synchronized (cp) {
      if (!cp.config.bool("AuthorizationCacheEnabled")) {
        return status("Rejected");
      }
      cp.auth.clearCache();
    }
    return status("Accepted");
  }

  /** Section 5.6: no vendor extension is built in; override the action for one. */
  private Object dataTransfer(IncomingCall call) {
    String vendorId = requireText(call.params(), "vendorId");
    return status(vendorId.equals(cp.profile.vendor()) ? "UnknownMessageId" : "UnknownVendorId");
  }

  /**
   * Section 5.8: every key without {@code key}; otherwise the requested ones, unknown names in
   * unknownKey. More names than GetConfigurationMaxKeys: the first that many are answered (the
   * CSMS can ask again for the rest). AuthorizationKey is listed without its value.
   */
  private Object getConfiguration(IncomingCall call) {
    JsonNode requested = call.params().get("key");
    ObjectNode answer = object();
    ArrayNode known = answer.putArray("configurationKey");
    ArrayNode unknown = StationJson.array();
    synchronized (cp) {
      if (requested == null || !requested.isArray() || requested.isEmpty()) {
        cp.config.keys().forEach(k -> known.add(keyValue(k)));
      } else {
        int max = cp.config.intValue("GetConfigurationMaxKeys");
        int n = 0;
        for (JsonNode name : requested) {
          if (n++ >= max) {
            break;
          }
          Cp16Configuration.Key k = cp.config.key(name.asString());
          if (k == null) {
            unknown.add(name.asString());
          } else {
            known.add(keyValue(k));
          }
        }
      }
    }
    if (!unknown.isEmpty()) {
      answer.set("unknownKey", unknown);
    }
    return answer;
  }

  private static ObjectNode keyValue(Cp16Configuration.Key k) {
    ObjectNode kv = object().put("key", k.name).put("readonly", k.readOnly);
    if (!k.writeOnly) {
      kv.put("value", k.value);
    }
    return kv;
  }

  /**
   * Section 5.11: Accepted when the connector (or, without one, the first free connector) can
   * begin a session for the idTag: not faulted, unavailable, busy, waiting for another token or
   * reserved for another idTag; an included chargingProfile must be a readable TxProfile.
   * The session then starts as a presented token's does (after Authorize with
   * AuthorizeRemoteTxRequests), waiting ConnectionTimeOut for a cable.
   */
  private Object remoteStart(IncomingCall call) {
    JsonNode p = call.params();
    String tag = requireText(p, "idTag");
    Integer id = StationJson.optInt(p, "connectorId", null);
    JsonNode profile = p.get("chargingProfile");
    if (profile != null && !profile.isNull()) {
      if (!cp.profile.supports(Feature.SMART_CHARGING)
          || !"TxProfile".equals(profile.path("chargingProfilePurpose").asString(""))) {
        return status("Rejected");
      }
      try {
        ChargingProfiles.fromJson(profile, id == null ? 1 : id);
      } catch (IllegalArgumentException e) {
        return status("Rejected");
      }
    }
    Cp16Connector target = null;
    synchronized (cp) {
      boolean stationOff = cp.connectors[0].inoperative;
      for (int i = 1; i < cp.connectors.length && target == null; i++) {
        Cp16Connector c = cp.connectors[i];
        if ((id == null || id == i) && c.canStart(stationOff, tag, null)) {
          target = c;
        }
      }
      if (target == null) {
        return status("Rejected");
      }
      target.cancelConnectionTimer();
      target.authorizedTag = tag; // holds the connector until the follow-up runs
      target.authorizedParent = null;
      target.remoteProfile = profile == null || profile.isNull() ? null : profile;
    }
    Cp16Connector c = target;
    cp.afterReply(call, "RemoteStartTransaction", () -> cp.sessions.remoteStart(c, tag));
    return status("Accepted");
  }

  /** Section 5.12: Accepted for a running transaction, which then stops with reason Remote. */
  private Object remoteStop(IncomingCall call) {
    String txId = Integer.toString(requireInt(call.params(), "transactionId"));
    Cp16Connector found = null;
    synchronized (cp) {
      for (Cp16Connector c : cp.connectors) {
        if (c.tx != null && c.tx.id.equals(txId)) {
          found = c;
        }
      }
    }
    if (found == null) {
      return status("Rejected");
    }
    Cp16Connector c = found;
    cp.afterReply(call, "RemoteStopTransaction", () -> cp.sessions.stop(c, "Remote", null));
    return status("Accepted");
  }

  /**
   * Section 5.14: Accepted; then transactions stop (SoftReset / HardReset), the connection
   * closes and the station boots again after the profile's reboot delay.
   */
  private Object reset(IncomingCall call) {
    String type = oneOf("type", requireText(call.params(), "type"), "Hard", "Soft");
    cp.afterReply(call, "Reset", () -> {
      cp.reboot(type, type + "Reset", "PowerUp").exceptionally(e -> {
        cp.failed("Reset " + type, e);
        return null;
      });
      return DONE; // the reboot is queued after this step: waiting for it here would wait for itself
    });
    return status("Accepted");
  }

  /**
   * Section 5.18: NotSupported for connector 0 or one the station does not have (no lock to
   * open); Unlocked otherwise, a running transaction stopping first with reason UnlockCommand.
   */
  private Object unlockConnector(IncomingCall call) {
    int id = requireInt(call.params(), "connectorId");
    boolean running;
    synchronized (cp) {
      Cp16Connector c = id >= 1 ? cp.connector(id) : null;
      if (c == null) {
        return status("NotSupported");
      }
      running = c.tx != null;
    }
    if (running) {
      cp.afterReply(call, "UnlockConnector", () -> cp.sessions.stop(cp.connectors[id], "UnlockCommand", null));
    }
    return status("Unlocked");
  }
}
