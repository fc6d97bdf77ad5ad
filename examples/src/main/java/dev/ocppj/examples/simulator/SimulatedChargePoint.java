package dev.ocppj.examples.simulator;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcPhase;
import dev.ocppj.examples.simulator.Transaction.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One simulated charge point: an {@link OcppClient}, its connectors and configuration, the
 * scenario it runs, and what it does when the CSMS calls it. The version-specific wire format is
 * the {@link Dialect}'s; this class holds the behaviour every version shares.
 *
 * <p>Nothing here blocks: every step is a future chained on the last. What the CSMS asks for
 * (a remote start, a reset, a triggered message) runs on a per-charge-point work queue, one task
 * at a time, and only after the answer to the CSMS's call has been sent, as OCPP requires.
 */
final class SimulatedChargePoint implements ClientListener {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final CloseOptions RESTART =
      CloseOptions.defaults().withCode(1012, "reset").withAwaitPending(false);

  final String identity;
  final Dialect dialect;
  final Settings settings;
  final OcppClient client;
  private final int number;
  private final Stats stats;
  private final List<Connector> connectors = new ArrayList<>();
  private final WorkQueue work;
  private boolean open; // guarded by this
  private boolean resetWhenIdle; // guarded by this
  private StopReason pendingResetReason; // guarded by this
  private volatile String failure;

  SimulatedChargePoint(
      String identity, int number, Dialect dialect, Settings settings, int connectorCount,
      Stats stats, OcppClient.Builder builder, Duration callTimeout) {
    this.identity = identity;
    this.number = number;
    this.dialect = dialect;
    this.settings = settings;
    this.stats = stats;
    for (int i = 1; i <= connectorCount; i++) {
      connectors.add(new Connector(i, 1000L * number));
    }
    this.work = new WorkQueue(callTimeout, this::fail);
    this.client = builder.listener(this).listener(work).build();
    dialect.handleCsmsCalls(this);
  }

  /** Why this charge point failed, or null. */
  String failure() {
    return failure;
  }

  // ---- the scenario

  /** Connects, boots and reports every connector's status. */
  CompletableFuture<Void> bootUp() {
    return Failure.step("connect", client::connect).thenCompose(v -> boot(false)).thenCompose(v -> announce());
  }

  /** A whole charging session: authorize, start, meter values, stop, then a heartbeat. */
  CompletableFuture<Void> chargingSession(int meterValues) {
    String tag = "TAG-" + number;
    return Failure.step("Authorize", () -> dialect.authorize(this, tag))
        .thenCompose(status -> {
          if (!status.equals("Accepted")) {
            throw new Failure("Authorize: the CSMS answered " + status + " for " + tag);
          }
          Transaction tx;
          synchronized (this) {
            Connector c = free(0);
            if (c == null) {
              throw new Failure("no free connector to start a transaction on");
            }
            tx = new Transaction(c, tag, "ISO14443", false, null, dialect.newTransactionId());
            c.transaction = tx;
          }
          CompletableFuture<Void> f = startTransaction(tx);
          for (int i = 0; i < meterValues; i++) {
            f = f.thenCompose(v -> meterValues(tx));
          }
          return f.thenCompose(v -> stopTransaction(tx, StopReason.LOCAL));
        })
        .thenCompose(v -> heartbeat());
  }

  CompletableFuture<Void> heartbeat() {
    return call("Heartbeat", Json.object()).thenApply(a -> null);
  }

  /** Completes once the work the CSMS asked for so far is done. */
  CompletableFuture<Void> idle() {
    return work.idle();
  }

  // ---- what the dialects call

  /** Sends a CALL, counts it, and turns a failure into one that names the action. */
  CompletableFuture<JsonNode> call(String action, ObjectNode payload) {
    long start = System.nanoTime();
    return client
        .call(action, payload)
        .handle((answer, error) -> {
          stats.call(Stats.OUT, action, System.nanoTime() - start, error == null);
          if (error != null) {
            throw Failure.of(action, error);
          }
          return answer;
        });
  }

  /** Registers a handler for a CSMS call, counting its calls and errors. */
  void handle(String action, CallHandler handler) {
    client.handle(action, call -> {
      long start = System.nanoTime();
      boolean ok = false;
      try {
        Object answer = handler.handle(call);
        ok = true;
        return answer;
      } finally {
        stats.call(Stats.IN, action, System.nanoTime() - start, ok);
      }
    });
  }

  /** The connector numbered {@code id}, or null. */
  synchronized Connector connector(int id) {
    return id >= 1 && id <= connectors.size() ? connectors.get(id - 1) : null;
  }

  int connectorCount() {
    return connectors.size();
  }

  /** The active transaction with this id, or null. */
  synchronized Transaction transaction(String id) {
    for (Connector c : connectors) {
      if (c.transaction != null && id.equals(c.transaction.id)) {
        return c.transaction;
      }
    }
    return null;
  }

  /** Reports {@code state} for {@code c}, if the version spells it differently from the last report. */
  CompletableFuture<Void> report(Connector c, Connector.State state) {
    String status;
    synchronized (this) {
      c.state = state;
      status = dialect.status(state);
      if (status.equals(c.reported)) {
        return DONE;
      }
      c.reported = status;
    }
    return call("StatusNotification", dialect.statusNotification(c.id, status)).thenApply(a -> null);
  }

  /** Reports the current status of connector {@code connectorId} (0: all) again, as a trigger asks. */
  CompletableFuture<Void> reportAgain(int connectorId) {
    return forEachConnector(connectorId, (c, tx) -> {
      Connector.State state;
      synchronized (this) {
        c.reported = null;
        state = c.state;
      }
      return report(c, state);
    });
  }

  /** Runs {@code action} for connector {@code connectorId} (0: each in turn) with its transaction or null. */
  CompletableFuture<Void> forEachConnector(
      int connectorId, BiFunction<Connector, Transaction, CompletableFuture<?>> action) {
    CompletableFuture<Void> f = DONE;
    for (Connector c : connectors) {
      if (connectorId == 0 || c.id == connectorId) {
        f = f.thenCompose(v -> {
          Transaction tx;
          synchronized (this) {
            tx = c.transaction;
          }
          return action.apply(c, tx).thenApply(x -> null);
        });
      }
    }
    return f;
  }

  /** Whether connector {@code connectorId} (0: any) has a transaction. */
  synchronized boolean hasTransaction(int connectorId) {
    return connectors.stream().anyMatch(c -> (connectorId == 0 || c.id == connectorId) && c.transaction != null);
  }

  // ---- the CSMS's requests, in version-neutral form; each answers at once and acts after the reply

  /** Starts a transaction on {@code connectorId} (0: the first free one); false if none is free. */
  boolean remoteStart(
      IncomingCall call, int connectorId, String tag, String tokenType, Integer remoteStartId) {
    Transaction tx;
    synchronized (this) {
      Connector c = free(connectorId);
      if (c == null || resetWhenIdle) {
        return false;
      }
      tx = new Transaction(c, tag, tokenType, true, remoteStartId, dialect.newTransactionId());
      c.transaction = tx;
    }
    work.afterReply(call, "remote start", () -> {
      CompletableFuture<String> authorized =
          settings.flag(dialect.authorizeRemoteKey()) ? dialect.authorize(this, tag) : CompletableFuture.completedFuture("Accepted");
      return authorized.thenCompose(status -> {
        if (!status.equals("Accepted")) {
          return release(tx);
        }
        return startTransaction(tx).thenCompose(v -> meterValues(tx));
      });
    });
    return true;
  }

  /** Stops the transaction {@code id}; false if there is none. */
  boolean remoteStop(IncomingCall call, String id) {
    Transaction tx;
    synchronized (this) {
      tx = transaction(id);
      if (tx == null || tx.stopping) {
        return false;
      }
      tx.stopping = true;
    }
    work.afterReply(call, "remote stop", () -> stopTransaction(tx, StopReason.REMOTE));
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
    synchronized (this) {
      if (connectorId == 0) {
        targets = List.copyOf(connectors);
      } else if (connector(connectorId) != null) {
        targets = List.of(connector(connectorId));
      } else {
        return Availability.REJECTED;
      }
      for (Connector c : targets) {
        c.inoperative = !operative;
        busy |= c.transaction != null && !operative;
      }
    }
    work.afterReply(call, "change availability", () -> {
      CompletableFuture<Void> f = DONE;
      for (Connector c : targets) {
        f = f.thenCompose(v -> idleState(c) == null ? DONE : report(c, idleState(c)));
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
    synchronized (this) {
      Connector c = connector(connectorId);
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
      work.afterReply(call, "unlock", () -> stopTransaction(tx, StopReason.UNLOCK));
    }
    return Unlock.UNLOCKED;
  }

  /**
   * Reboots after the reply: stops every transaction with {@code reason}, closes, connects and
   * boots again. With {@code whenIdle} and a transaction running, reboots when the last one ends
   * and returns false (scheduled).
   */
  boolean reset(IncomingCall call, StopReason reason, boolean whenIdle) {
    synchronized (this) {
      if (whenIdle && connectors.stream().anyMatch(c -> c.transaction != null)) {
        resetWhenIdle = true;
        pendingResetReason = reason;
        return false;
      }
    }
    work.afterReply(call, "reset", () -> reboot(reason));
    return true;
  }

  /** Sends what the CSMS triggered, after the reply. */
  void trigger(IncomingCall call, Supplier<CompletableFuture<?>> message) {
    work.afterReply(call, "triggered " + call.params().path("requestedMessage").asString(), message);
  }

  // ---- shared steps

  private CompletableFuture<Void> boot(boolean afterReset) {
    return call("BootNotification", dialect.bootNotification(afterReset)).thenCompose(answer -> {
      String status = answer.path("status").asString("");
      int interval = answer.path("interval").asInt(0);
      if (status.equals("Accepted")) {
        if (interval > 0) {
          settings.update(dialect.heartbeatKey(), Integer.toString(interval));
        }
        return DONE;
      }
      throw new Failure("BootNotification: the CSMS answered " + status + " (retry in " + interval + " s)");
    });
  }

  /** Reports every connector's status, as after a boot. */
  private CompletableFuture<Void> announce() {
    return forEachConnector(0, (c, tx) -> {
      synchronized (this) {
        c.reported = null;
      }
      return report(c, c.inoperative ? Connector.State.UNAVAILABLE : Connector.State.AVAILABLE);
    });
  }

  private CompletableFuture<Void> startTransaction(Transaction tx) {
    return report(tx.connector, Connector.State.PREPARING)
        .thenCompose(v -> dialect.startTransaction(this, tx))
        .thenCompose(v -> report(tx.connector, Connector.State.CHARGING))
        .whenComplete((v, e) -> {
          if (e != null) {
            synchronized (this) {
              tx.connector.transaction = null;
            }
          }
        });
  }

  private CompletableFuture<Void> meterValues(Transaction tx) {
    synchronized (this) {
      tx.connector.meterWh += 250; // 7.5 kW for two minutes
    }
    return dialect.meterValues(this, tx);
  }

  private CompletableFuture<Void> stopTransaction(Transaction tx, StopReason reason) {
    synchronized (this) {
      tx.stopping = true;
    }
    return dialect.stopTransaction(this, tx, reason).thenCompose(v -> release(tx));
  }

  /** Frees the transaction's connector, reports it, and reboots if a reset waited for this. */
  private CompletableFuture<Void> release(Transaction tx) {
    Connector c = tx.connector;
    StopReason reset = null;
    synchronized (this) {
      c.transaction = null;
      if (resetWhenIdle && connectors.stream().allMatch(x -> x.transaction == null)) {
        resetWhenIdle = false;
        reset = pendingResetReason;
      }
    }
    StopReason r = reset;
    CompletableFuture<Void> f = report(c, Connector.State.FINISHING).thenCompose(v -> report(c, idleState(c)));
    return r == null ? f : f.thenCompose(v -> reboot(r));
  }

  private CompletableFuture<Void> reboot(StopReason reason) {
    List<Transaction> running = new ArrayList<>();
    synchronized (this) {
      for (Connector c : connectors) {
        if (c.transaction != null && !c.transaction.stopping) {
          running.add(c.transaction);
        }
      }
    }
    CompletableFuture<Void> f = DONE;
    for (Transaction tx : running) {
      f = f.thenCompose(v -> stopTransaction(tx, reason));
    }
    // 1012 Service Restart; calls in flight fail, as they would on a real charge point's reboot.
    return f.thenCompose(v -> client.close(RESTART))
        .thenCompose(closed -> Failure.step("reconnect after reset", client::connect))
        .thenCompose(v -> boot(true))
        .thenCompose(v -> announce());
  }

  private synchronized Connector.State idleState(Connector c) {
    return c.transaction != null ? null : c.inoperative ? Connector.State.UNAVAILABLE : Connector.State.AVAILABLE;
  }

  /** The connector {@code id} if it is free and operative, or the first such one for 0. */
  private synchronized Connector free(int id) {
    for (Connector c : connectors) {
      if ((id == 0 || c.id == id) && c.transaction == null && !c.inoperative) {
        return c;
      }
    }
    return null;
  }

  void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
    stats.failed(identity, reason);
  }

  // ---- listener: connection counts, validation failures

  @Override
  public void onOpen(OpenEvent event) {
    synchronized (this) {
      open = true;
    }
    stats.opened();
  }

  @Override
  public void onDisconnect(CloseEvent event) {
    lost();
  }

  @Override
  public void onClose(CloseEvent event) {
    lost();
  }

  private void lost() {
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
    }
    stats.closed();
  }

  @Override
  public void onStrictValidationFailure(ValidationFailureEvent event) {
    stats.error();
    if (event.phase() == RpcPhase.OUTGOING_RESULT) {
      fail("our answer to " + event.action() + " failed validation: " + event.error().getMessage());
    }
  }
}
