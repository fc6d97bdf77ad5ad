package dev.ocppj.examples.simulator;

import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.examples.simulator.Transaction.StopReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What a charge point does when the CSMS asks, in version-neutral form: each request is answered
 * at once (the dialect spells the answer) and acted on from the charge point's work queue once
 * that answer has been sent. The connector state is guarded by the charge point's lock.
 */
final class CsmsRequests {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final SimulatedChargePoint cp;

  CsmsRequests(SimulatedChargePoint cp) {
    this.cp = cp;
  }

  /** Starts a transaction on {@code connectorId} (0: the first free one); false if none is free. */
  boolean remoteStart(
      IncomingCall call, int connectorId, String tag, String tokenType, Integer remoteStartId) {
    Transaction tx;
    synchronized (cp) {
      Connector c = cp.free(connectorId);
      if (c == null || cp.rebootPending()) {
        return false;
      }
      tx = new Transaction(c, tag, tokenType, true, remoteStartId, cp.dialect.newTransactionId());
      c.transaction = tx;
    }
    cp.work.afterReply(call, "remote start", () -> {
      CompletableFuture<String> authorized =
          cp.settings.flag(cp.dialect.authorizeRemoteKey()) ? cp.dialect.authorize(cp, tag) : CompletableFuture.completedFuture("Accepted");
      return authorized.thenCompose(status -> {
        if (!status.equals("Accepted")) {
          return cp.release(tx);
        }
        return cp.startTransaction(tx).thenCompose(v -> cp.meterValues(tx));
      });
    });
    return true;
  }

  /** Stops the transaction {@code id}; false if there is none. */
  boolean remoteStop(IncomingCall call, String id) {
    Transaction tx;
    synchronized (cp) {
      tx = cp.transaction(id);
      if (tx == null || tx.stopping) {
        return false;
      }
      tx.stopping = true;
    }
    cp.work.afterReply(call, "remote stop", () -> cp.stopTransaction(tx, StopReason.REMOTE));
    return true;
  }

  enum Availability {
    ACCEPTED,
    SCHEDULED,
    REJECTED
  }

  /** Makes {@code connectorId} (0: all) operative or not; a busy connector changes when its transaction ends. */
  Availability changeAvailability(IncomingCall call, int connectorId, boolean operative) {
    List<Connector> targets;
    boolean busy = false;
    synchronized (cp) {
      if (connectorId == 0) {
        targets = cp.connectors();
      } else if (cp.connector(connectorId) != null) {
        targets = List.of(cp.connector(connectorId));
      } else {
        return Availability.REJECTED;
      }
      for (Connector c : targets) {
        c.inoperative = !operative;
        busy |= c.transaction != null && !operative;
      }
    }
    cp.work.afterReply(call, "change availability", () -> {
      CompletableFuture<Void> f = DONE;
      for (Connector c : targets) {
        f = f.thenCompose(v -> cp.idleState(c) == null ? DONE : cp.report(c, cp.idleState(c)));
      }
      return f;
    });
    return busy ? Availability.SCHEDULED : Availability.ACCEPTED;
  }

  enum Unlock {
    UNLOCKED,
    UNKNOWN_CONNECTOR,
    OCCUPIED
  }

  /** Unlocks a connector; with a transaction on it, stops that first if {@code stopTransaction}. */
  Unlock unlock(IncomingCall call, int connectorId, boolean stopTransaction) {
    Transaction tx;
    synchronized (cp) {
      Connector c = cp.connector(connectorId);
      if (c == null) {
        return Unlock.UNKNOWN_CONNECTOR;
      }
      tx = c.transaction;
      if (tx != null && (!stopTransaction || tx.stopping)) {
        return Unlock.OCCUPIED;
      }
      if (tx != null) {
        tx.stopping = true;
      }
    }
    if (tx != null) {
      cp.work.afterReply(call, "unlock", () -> cp.stopTransaction(tx, StopReason.UNLOCK));
    }
    return Unlock.UNLOCKED;
  }

  /**
   * Reboots after the reply: stops every transaction with {@code reason}, closes, connects and
   * boots again. With {@code whenIdle} and a transaction running, reboots when the last one ends
   * and returns false (scheduled).
   */
  boolean reset(IncomingCall call, StopReason reason, boolean whenIdle) {
    synchronized (cp) {
      if (whenIdle && cp.rebootWhenIdle(reason)) {
        return false;
      }
    }
    cp.work.afterReply(call, "reset", () -> cp.reboot(reason));
    return true;
  }

  /** Sends what the CSMS triggered, after the reply. */
  void trigger(IncomingCall call, Supplier<CompletableFuture<?>> message) {
    cp.work.afterReply(call, "triggered " + call.params().path("requestedMessage").asString(), message);
  }
}
