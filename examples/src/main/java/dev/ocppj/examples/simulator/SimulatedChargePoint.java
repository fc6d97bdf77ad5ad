package dev.ocppj.examples.simulator;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.MessageEvent;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcPhase;
import dev.ocppj.examples.simulator.Transaction.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

  /** A reason the scenario cannot go on; the message is what the summary prints. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message, null, false, false);
    }

    /** The failure {@code error} (possibly wrapped) stands for, prefixed by {@code step} unless it names it. */
    static Failure of(String step, Throwable error) {
      Throwable e = error;
      while (e instanceof CompletionException && e.getCause() != null) {
        e = e.getCause();
      }
      if (e instanceof Failure f) {
        return f;
      }
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Failure(message.startsWith(step) ? message : step + ": " + message);
    }
  }

  final String identity;
  final Dialect dialect;
  final Settings settings;
  final OcppClient client;
  private final int number;
  private final Stats stats;
  private final long replyWaitMillis;
  private final List<Connector> connectors = new ArrayList<>();
  // Work that waits for the answer to a CSMS call to be sent, by that call's message id.
  private final Map<String, CompletableFuture<Void>> replies = new ConcurrentHashMap<>();
  private CompletableFuture<Void> work = DONE; // guarded by this
  private boolean open; // guarded by this
  private boolean resetWhenIdle; // guarded by this
  private StopReason pendingResetReason; // guarded by this
  private volatile String failure;

  SimulatedChargePoint(
      String identity, int number, Dialect dialect, Settings settings, int connectorCount,
      Stats stats, OcppClient.Builder builder) {
    this.identity = identity;
    this.number = number;
    this.dialect = dialect;
    this.settings = settings;
    this.stats = stats;
    for (int i = 1; i <= connectorCount; i++) {
      connectors.add(new Connector(i, 1000L * number));
    }
    this.client = builder.listener(this).build();
    this.replyWaitMillis = client.options().callTimeout().toMillis();
    dialect.handleCsmsCalls(this);
  }

  /** Why this charge point failed, or null. */
  String failure() {
    return failure;
  }

  // ---- the scenario

  /** Connects, boots and reports every connector's status. */
  CompletableFuture<Void> bootUp() {
    return step("connect", client::connect).thenCompose(v -> boot(false)).thenCompose(v -> announce());
  }

  /** A whole charging session: authorize, start, meter values, stop, then a heartbeat. */
  CompletableFuture<Void> chargingSession(int meterValues) {
    String tag = "TAG-" + number;
    return step("Authorize", () -> dialect.authorize(this, tag))
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
    CompletableFuture<Void> w;
    synchronized (this) {
      w = work;
    }
    return w.thenCompose(v -> {
      synchronized (this) {
        return work == w ? DONE : idle();
      }
    });
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

  /** Runs {@code task} on the work queue once the answer to {@code call} has been sent. */
  void afterReply(IncomingCall call, String what, Supplier<CompletableFuture<?>> task) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    replies.put(call.messageId(), sent);
    enqueue(what, () -> sent
        .orTimeout(replyWaitMillis, TimeUnit.MILLISECONDS)
        .handle((v, e) -> e == null) // no answer went out: the CSMS was told no, skip the work
        .thenCompose(answered -> answered ? task.get().thenApply(x -> (Void) null) : DONE));
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
    afterReply(call, "remote start", () -> {
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
    afterReply(call, "remote stop", () -> stopTransaction(tx, StopReason.REMOTE));
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
    afterReply(call, "change availability", () -> {
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
      afterReply(call, "unlock", () -> stopTransaction(tx, StopReason.UNLOCK));
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
    afterReply(call, "reset", () -> reboot(reason));
    return true;
  }

  /** Sends what the CSMS triggered, after the reply. */
  void trigger(IncomingCall call, Supplier<CompletableFuture<?>> message) {
    afterReply(call, "triggered " + call.params().path("requestedMessage").asString(), message);
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
    return f.thenCompose(v -> client.closeAsync())
        .thenCompose(closed -> step("reconnect after reset", client::connect))
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

  private synchronized void enqueue(String what, Supplier<CompletableFuture<?>> task) {
    work = work.thenCompose(v -> step(what, task::get))
        .handle((v, e) -> {
          if (e != null) {
            fail(Failure.of(what, e).getMessage());
          }
          return null;
        });
  }

  void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
    stats.failed(identity, reason);
  }

  private static <T> CompletableFuture<T> step(String name, Supplier<? extends java.util.concurrent.CompletionStage<T>> action) {
    CompletableFuture<T> f;
    try {
      f = action.get().toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle((v, e) -> {
      if (e != null) {
        throw Failure.of(name, e);
      }
      return v;
    });
  }

  // ---- listener: connection counts, sent replies, validation failures

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
    replies.values().forEach(r -> r.completeExceptionally(new Failure("closed before the answer was sent")));
    replies.clear();
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
  public void onMessage(MessageEvent event) {
    if (event.direction() != Direction.OUT || replies.isEmpty()) {
      return;
    }
    String text = event.text();
    boolean result = text.startsWith("[3,\"");
    if (!result && !text.startsWith("[4,\"")) {
      return;
    }
    int end = text.indexOf('"', 4);
    CompletableFuture<Void> sent = end < 0 ? null : replies.remove(text.substring(4, end));
    if (sent != null) {
      if (result) {
        sent.complete(null);
      } else {
        sent.completeExceptionally(new Failure("answered with a CALLERROR"));
      }
    }
  }

  @Override
  public void onStrictValidationFailure(ValidationFailureEvent event) {
    stats.error();
    if (event.phase() == RpcPhase.OUTGOING_RESULT) {
      fail("our answer to " + event.action() + " failed validation: " + event.error().getMessage());
    }
  }
}
