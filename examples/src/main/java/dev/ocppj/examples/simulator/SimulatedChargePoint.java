package dev.ocppj.examples.simulator;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.RpcPhase;
import dev.ocppj.examples.simulator.Transaction.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
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
  /** What the charge point does when the CSMS asks, for the dialects' handlers. */
  final CsmsRequests requests;
  private final int number;
  private final Stats stats;
  private final List<Connector> connectors = new ArrayList<>();
  final WorkQueue work;
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
    this.requests = new CsmsRequests(this);
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
          Failure.requireAccepted("Authorize", status, tag);
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

  CompletableFuture<Void> startTransaction(Transaction tx) {
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

  CompletableFuture<Void> meterValues(Transaction tx) {
    synchronized (this) {
      tx.connector.meterWh += 250; // 7.5 kW for two minutes
    }
    return dialect.meterValues(this, tx);
  }

  CompletableFuture<Void> stopTransaction(Transaction tx, StopReason reason) {
    synchronized (this) {
      tx.stopping = true;
    }
    return dialect.stopTransaction(this, tx, reason).thenCompose(v -> release(tx));
  }

  /** Under the lock: if a transaction runs, remembers to reboot with {@code reason} when the last ends. */
  boolean rebootWhenIdle(StopReason reason) {
    assert Thread.holdsLock(this);
    if (connectors.stream().noneMatch(c -> c.transaction != null)) {
      return false;
    }
    resetWhenIdle = true;
    pendingResetReason = reason;
    return true;
  }

  /** Under the lock: whether a reboot waits for the transactions to end. */
  boolean rebootPending() {
    assert Thread.holdsLock(this);
    return resetWhenIdle;
  }

  /** Every connector, in order. */
  synchronized List<Connector> connectors() {
    return List.copyOf(connectors);
  }

  /** Frees the transaction's connector, reports it, and reboots if a reset waited for this. */
  CompletableFuture<Void> release(Transaction tx) {
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

  CompletableFuture<Void> reboot(StopReason reason) {
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

  synchronized Connector.State idleState(Connector c) {
    return c.transaction != null ? null : c.inoperative ? Connector.State.UNAVAILABLE : Connector.State.AVAILABLE;
  }

  /** The connector {@code id} if it is free and operative, or the first such one for 0. */
  synchronized Connector free(int id) {
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
