package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.status;

import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Remote control and availability (blocks B11-B12, F01-F06, G03): RequestStartTransaction,
 * RequestStopTransaction, GetTransactionStatus, ChangeAvailability, UnlockConnector, Reset,
 * TriggerMessage and DataTransfer.
 */
final class Cs2OperationsControl {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargingStation s;

  Cs2OperationsControl(ChargingStation s) {
    this.s = s;
  }

  void register() {
    s.answer("RequestStartTransaction", this::requestStart);
    s.answer("RequestStopTransaction", this::requestStop);
    s.answer("GetTransactionStatus", this::transactionStatus);
    s.answer("ChangeAvailability", this::changeAvailability);
    s.answer("UnlockConnector", this::unlock);
    s.answer("Reset", this::reset);
    s.answer("TriggerMessage", Feature.REMOTE_TRIGGER, this::trigger);
    s.answer("DataTransfer", this::dataTransfer);
  }

  private Object requestStart(IncomingCall call) {
    JsonNode p = call.params();
    int remoteStartId = Cs2Json.requireInt(p, "remoteStartId");
    IdToken token = Cs2Json.token(Cs2Json.requireObject(p, "idToken"));
    JsonNode profileJson = p.get("chargingProfile");
    Cs2Evse e;
    String existingTx = null;
    ChargingProfiles.Profile profile = null;
    synchronized (s) {
      if (p.has("evseId")) {
        e = s.evseOrNull(p.path("evseId").asInt(-1));
        if (e == null) {
          return status("Rejected", "UnknownEvse", null);
        }
      } else {
        e = null;
        for (Cs2Evse c : s.evses) {
          if (c.tx == null && c.token == null && !c.faulted && !c.inoperative && c.reservation == null) {
            e = c;
            break;
          }
        }
        if (e == null) {
          return status("Rejected", "NoEvseAvailable", null);
        }
      }
      // F01.FR.?: an EVSE that cannot charge, or one in use by a token, rejects.
      if (e.faulted || e.inoperative || s.inoperative || e.connectorInoperative[0]) {
        return status("Rejected", "Unavailable", null);
      }
      if (e.token != null) {
        return status("Rejected", "TxInProgress", null);
      }
      if (e.reservation != null && !e.reservation.token().value().equals(token.value())
          && (e.reservation.groupId() == null || !e.reservation.groupId().equals(p.path("groupIdToken").path("idToken").asString(null)))) {
        return status("Rejected", "Reserved", null);
      }
      if (profileJson != null) {
        if (!s.profile().supports(Feature.SMART_CHARGING)) {
          return status("Rejected", "NoSmartCharging", null);
        }
        try {
          profile = ChargingProfiles.fromJson(profileJson, e.id);
        } catch (IllegalArgumentException x) {
          return status("Rejected", "InvalidProfile", x.getMessage());
        }
        // F01.FR.?: only a TxProfile may come with a remote start.
        if (profile.purpose() != ChargingProfiles.Purpose.TX) {
          return status("Rejected", "InvalidProfile", "chargingProfilePurpose must be TxProfile");
        }
      }
      if (e.tx != null) {
        existingTx = e.tx.id; // F01.FR.?: a transaction the cable started gets authorized
      }
    }
    Cs2Evse evse = e;
    ChargingProfiles.Profile txProfile = profile;
    String group = p.path("groupIdToken").path("idToken").asString(null);
    s.afterReply(call, "remote start at EVSE " + e.id, () -> {
      boolean check;
      synchronized (s) {
        check = s.model().boolValue("AuthCtrlr", "AuthorizeRemoteStart", false);
      }
      CompletableFuture<Boolean> ok = check
          ? Cs2Authorization.authorize(s, token).thenApply(info -> "Accepted".equals(info.path("status").asString()))
          : CompletableFuture.completedFuture(true);
      return ok.thenCompose(accepted -> {
        if (!accepted) {
          return DONE;
        }
        return s.transactions().authorized(evse, token, group, "RemoteStart", remoteStartId)
            .thenRun(() -> install(evse, txProfile))
            .thenCompose(v -> {
              boolean plug;
              synchronized (s) {
                plug = s.remoteStartPlugsIn && evse.plugged == 0;
              }
              return plug ? s.transactions().plugIn(evse) : DONE;
            });
      });
    });
    ObjectNode answer = status("Accepted");
    if (existingTx != null) {
      answer.put("transactionId", existingTx);
    }
    return answer;
  }

  private void install(Cs2Evse e, ChargingProfiles.Profile p) {
    if (p == null) {
      return;
    }
    synchronized (s) {
      String txId = e.tx == null ? null : e.tx.id;
      s.profiles().add(new ChargingProfiles.Profile(p.id(), p.stackLevel(), p.purpose(), p.kind(), p.recurrency(),
          p.validFrom(), p.validTo(), e.id, txId, p.schedules(), p.raw()));
    }
    Cs2OperationsSmart.applyLimits(s);
  }

  private Object requestStop(IncomingCall call) {
    String txId = Cs2Json.requireText(call.params(), "transactionId");
    Cs2Evse e = findTx(txId);
    if (e == null) {
      return status("Rejected", "UnknownTransaction", null);
    }
    // F03: the answer, then TransactionEvent Ended (RemoteStop, stoppedReason Remote).
    s.afterReply(call, "remote stop " + txId, () -> s.transactions().end(e, "RemoteStop", "Remote"));
    return status("Accepted");
  }

  private Cs2Evse findTx(String txId) {
    synchronized (s) {
      for (Cs2Evse e : s.evses) {
        if (e.tx != null && e.tx.id.equals(txId)) {
          return e;
        }
      }
      return null;
    }
  }

  private Object transactionStatus(IncomingCall call) {
    ObjectNode answer = object();
    JsonNode id = call.params().get("transactionId");
    if (id != null && id.isString()) {
      // E14: ongoingIndicator only when a transactionId was given.
      answer.put("ongoingIndicator", findTx(id.asString()) != null);
    }
    return answer.put("messagesInQueue", s.transactionEvents().messagesInQueue());
  }

  private Object changeAvailability(IncomingCall call) {
    JsonNode p = call.params();
    String op = Cs2Json.requireText(p, "operationalStatus");
    if (!op.equals("Operative") && !op.equals("Inoperative")) {
      throw new RpcException.PropertyConstraintViolation("operationalStatus must be Operative or Inoperative: " + op);
    }
    boolean inop = op.equals("Inoperative");
    JsonNode evseNode = p.get("evse");
    String result;
    synchronized (s) {
      if (evseNode == null || evseNode.isNull() || evseNode.path("id").asInt(0) == 0) {
        // G03.FR.?: the station; Scheduled while any transaction runs.
        if (s.anyTransaction() && inop) {
          s.pendingAvailability = op;
          result = "Scheduled";
        } else {
          s.inoperative = inop;
          s.pendingAvailability = null;
          result = "Accepted";
        }
      } else {
        Cs2Evse e = s.evseOrNull(evseNode.path("id").asInt(-1));
        if (e == null) {
          return status("Rejected", "UnknownEvse", null);
        }
        if (evseNode.has("connectorId")) {
          int c = evseNode.path("connectorId").asInt(-1);
          if (c < 1 || c > e.connectors) {
            return status("Rejected", "UnknownConnector", null);
          }
          if (e.tx != null && inop) {
            e.pendingConnector[c - 1] = op;
            result = "Scheduled";
          } else {
            e.connectorInoperative[c - 1] = inop;
            result = "Accepted";
          }
        } else if (e.tx != null && inop) {
          e.pending = op;
          result = "Scheduled";
        } else {
          e.inoperative = inop;
          e.pending = null;
          result = "Accepted";
        }
      }
    }
    if (result.equals("Accepted")) {
      s.afterReply(call, "availability", s::reportStatuses);
    }
    return status(result);
  }

  private Object unlock(IncomingCall call) {
    int evseId = Cs2Json.requireInt(call.params(), "evseId");
    int connectorId = Cs2Json.requireInt(call.params(), "connectorId");
    synchronized (s) {
      Cs2Evse e = s.evseOrNull(evseId);
      if (e == null || connectorId < 1 || connectorId > e.connectors) {
        return status("UnknownConnector");
      }
      // F05.FR.02: an authorized transaction keeps its cable locked.
      if (e.tx != null && e.token != null) {
        return status("OngoingAuthorizedTransaction");
      }
      if (e.faulted) {
        return status("UnlockFailed");
      }
    }
    return status("Unlocked");
  }

  private Object reset(IncomingCall call) {
    JsonNode p = call.params();
    String type = Cs2Json.requireText(p, "type");
    if (!List.of("Immediate", "OnIdle", "ImmediateAndResume").contains(type)
        || (type.equals("ImmediateAndResume") && !s.v21())) {
      throw new RpcException.PropertyConstraintViolation("unknown reset type " + type);
    }
    boolean immediate = !type.equals("OnIdle");
    if (p.has("evseId")) {
      // B11/B12: an EVSE reset ends its transaction; the rest of the station goes on.
      Cs2Evse e;
      boolean busy;
      synchronized (s) {
        e = s.evseOrNull(p.path("evseId").asInt(-1));
        if (e == null) {
          return status("Rejected", "UnknownEvse", null);
        }
        busy = e.tx != null;
      }
      if (busy && !immediate) {
        return status("Scheduled");
      }
      s.afterReply(call, "EVSE reset", () -> s.transactions().end(e, "ResetCommand", "ImmediateReset"));
      return status("Accepted");
    }
    synchronized (s) {
      if (!immediate && s.anyTransaction()) {
        s.resetPending = true; // B12.FR.?: OnIdle waits for the last transaction
        return status("Scheduled");
      }
    }
    s.afterReply(call, "reset", () -> {
      s.reboot(type, "ImmediateReset", "RemoteReset").exceptionally(x -> null);
      return DONE;
    });
    return status("Accepted");
  }

  private Object trigger(IncomingCall call) {
    JsonNode p = call.params();
    String what = Cs2Json.requireText(p, "requestedMessage");
    JsonNode evseNode = p.get("evse");
    List<Cs2Evse> targets = new ArrayList<>();
    int connector = 0;
    synchronized (s) {
      if (evseNode != null && !evseNode.isNull()) {
        Cs2Evse e = s.evseOrNull(evseNode.path("id").asInt(-1));
        if (e == null) {
          return status("Rejected", "UnknownEvse", null);
        }
        if (evseNode.has("connectorId")) {
          connector = evseNode.path("connectorId").asInt(-1);
          if (connector < 1 || connector > e.connectors) {
            return status("Rejected", "UnknownConnector", null);
          }
        }
        targets.add(e);
      } else {
        targets.addAll(List.of(s.evses));
      }
    }
    if (what.equals("PublishFirmwareStatusNotification") || what.equals("CustomTrigger")) {
      // Only a Local Controller publishes firmware; this station defines no custom triggers.
      return status("NotImplemented");
    }
    int c = connector;
    Supplier<CompletableFuture<?>> step = switch (what) {
      case "BootNotification" -> {
        // F06.FR.17: once accepted, a station does not boot again on request.
        if ("Accepted".equals(s.registration)) {
          yield null;
        }
        yield () -> s.send("BootNotification", s.bootNotification("Triggered"));
      }
      case "Heartbeat" -> () -> s.send("Heartbeat", Map.of());
      case "StatusNotification" -> () -> {
        List<ObjectNode> msgs = new ArrayList<>();
        synchronized (s) {
          for (Cs2Evse e : targets) {
            for (int i = 1; i <= e.connectors; i++) {
              if (c == 0 || c == i) {
                e.reported[i - 1] = e.status(i, s.inoperative);
                msgs.add(Cs2Status.statusNotification(e.id, i, e.reported[i - 1]));
              }
            }
          }
        }
        return s.sendAll("StatusNotification", msgs);
      };
      case "MeterValues" -> () -> {
        CompletableFuture<Void> chain = DONE;
        for (Cs2Evse e : targets) {
          chain = chain.thenCompose(v -> s.meterValues().meterValues(e, "Trigger"));
        }
        return chain;
      };
      case "TransactionEvent" -> {
        boolean any;
        synchronized (s) {
          any = targets.stream().anyMatch(e -> e.tx != null);
        }
        if (!any) {
          yield null; // nothing to report: Rejected
        }
        yield () -> {
          CompletableFuture<Void> chain = DONE;
          for (Cs2Evse e : targets) {
            chain = chain.thenCompose(v -> s.meterValues().triggered(e));
          }
          return chain;
        };
      }
      case "FirmwareStatusNotification" -> () -> s.firmware().sendFirmwareStatus();
      case "LogStatusNotification" -> () -> s.firmware().sendLogStatus();
      case "SignChargingStationCertificate", "SignV2GCertificate", "SignCombinedCertificate", "SignV2G20Certificate" -> {
        if (!s.profile().supports(Feature.SECURITY) || (what.equals("SignV2G20Certificate") && !s.v21())) {
          yield null;
        }
        yield () -> s.firmware().signCertificate(what);
      }
      default -> throw new RpcException.PropertyConstraintViolation("unknown requestedMessage " + what);
    };
    if (step == null) {
      return status("Rejected");
    }
    s.afterReply(call, "triggered " + what, step);
    return status("Accepted");
  }

  private Object dataTransfer(IncomingCall call) {
    String vendor = Cs2Json.requireText(call.params(), "vendorId");
    // P01: a vendor the station does not know, or a message id it does not implement.
    if (!vendor.equals(s.profile().vendor())) {
      return status("UnknownVendorId");
    }
    return status("UnknownMessageId");
  }
}
