package dev.ocppj.chargepoint;

import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Registration;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * What both versions' stations share: the client and its handlers (with user overrides), the
 * ordered work queue, listeners, boot with retries, heartbeats, reboot with a realistic delay,
 * going off and on line. The version classes fill in the messages and the state.
 *
 * <p>Locking: a subclass guards its state with {@code synchronized (this)} and never holds
 * that lock while calling the client, a listener or user code.
 */
abstract class AbstractStation implements VirtualStation {
  static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final CloseOptions REBOOT = CloseOptions.defaults().withCode(1012, "reboot").withAwaitPending(false);
  private static final CloseOptions OFFLINE = CloseOptions.defaults().withCode(1001, "offline").withAwaitPending(false);
  /** How long start() waits for an accepted boot before failing (the station keeps trying). */
  static final Duration BOOT_WAIT = Duration.ofMinutes(5);

  final OcppClient client;
  final StationProfile profile;
  final Work work;
  private final List<OcppVersion> versions;
  private final Map<String, CallHandler> model = new ConcurrentHashMap<>();
  private final Map<String, CallHandler> overrides = new ConcurrentHashMap<>();
  private final List<StationListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Duration heartbeatInterval = Duration.ofSeconds(300);
  private ScheduledFuture<?> heartbeat; // guarded by this
  private CompletableFuture<Void> booting; // guarded by this: the boot in progress, or the last
  private ScheduledFuture<?> bootRetry; // guarded by this
  private volatile boolean stopped;
  /** The registration status from the last BootNotification (Accepted, Pending, Rejected), or null. */
  volatile String registration;

  AbstractStation(OcppClient client, StationProfile profile, List<OcppVersion> versions) {
    this.client = Objects.requireNonNull(client, "client");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.versions = List.copyOf(versions);
    if (versions.stream().noneMatch(client.options().protocols()::contains)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " speaks " + versions
          + " but the client offers only " + client.options().protocols());
    }
    this.work = new Work(client.options().callTimeout().multipliedBy(2), this::failed);
    client.addListener(work);
  }

  // ---- what subclasses provide

  /** The BootNotification payload for {@code reason} (1.6 ignores it; 2.x BootReasonEnum). */
  abstract Object bootNotification(String reason);

  /** After an accepted boot or a reconnect: report every status (and start meter timers). */
  abstract CompletableFuture<Void> announce(boolean afterBoot);

  /** Stops every running transaction for {@code reason} before a reboot or stop(). */
  abstract CompletableFuture<Void> stopAllTransactions(String reason);

  /** Cancels the subclass's timers (meter values, reservations, transfers). */
  abstract void cancelTimers();

  // ---- handlers

  /** Registers the model's answer to {@code action} for every version this station speaks. */
  final void answer(String action, CallHandler handler) {
    model.put(action, handler);
    for (OcppVersion v : versions) {
      client.handle(v, action, call -> {
        CallHandler user = overrides.get(action);
        return user != null ? user.handle(call) : guarded(action, handler, call);
      });
    }
  }

  /**
   * Runs the model's handler. Strict mode is off by default, so a payload may hold any JSON: a
   * type Jackson 3 refuses to coerce (asInt() of a string, a number past 32 bits) is the CSMS's
   * fault and is answered TypeConstraintViolation (OCPP-J 4.2.3), never InternalError.
   */
  private Object guarded(String action, CallHandler h, IncomingCall call) throws Exception {
    if (work.full()) {
      // Work's bound: refuse rather than queue follow-ups without end (OCPP-J 4.2.3: GenericError
      // for an error no other code covers); the CSMS may try again once the backlog drains.
      throw new RpcException.GenericError(action + " refused: the station has " + work.pending()
          + " steps of work pending");
    }
    try {
      return h.handle(call);
    } catch (tools.jackson.databind.exc.JsonNodeException e) {
      throw new RpcException.TypeConstraintViolation(action + ": a field has the wrong type: " + e.getOriginalMessage());
    }
  }

  /** Registers {@code handler} only when the profile has {@code feature}; NotSupported otherwise. */
  final void answer(String action, Feature feature, CallHandler handler) {
    answer(action, call -> {
      if (!profile.supports(feature)) {
        throw new RpcException.NotSupported(action + ": this station does not support " + feature.ocppName());
      }
      return handler.handle(call);
    });
  }

  @Override
  public Object defaultAnswer(IncomingCall call) throws Exception {
    CallHandler h = model.get(call.action());
    if (h == null) {
      throw new RpcException.NotImplemented(call.action() + " is not an operation of this station");
    }
    return guarded(call.action(), h, call);
  }

  @Override
  public Registration override(String action, CallHandler handler) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(handler, "handler");
    if (!model.containsKey(action)) {
      // A vendor action: answer it through the client too.
      for (OcppVersion v : versions) {
        client.handle(v, action, call -> {
          CallHandler user = overrides.get(action);
          if (user == null) {
            throw new RpcException.NotImplemented(action + " is not an operation of this station");
          }
          return user.handle(call);
        });
      }
    }
    overrides.put(action, handler);
    return () -> overrides.remove(action, handler);
  }

  @Override
  public Registration addListener(StationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  /** Tells every listener; a listener that throws is skipped. */
  final void emit(java.util.function.Consumer<StationListener> event) {
    for (StationListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException ignored) {
        // A listener's bug must not break the station.
      }
    }
  }

  private void failed(String what, Throwable error) {
    emit(l -> l.onFailure(what, Work.unwrap(error)));
  }

  // ---- messages and work

  /** Sends a CALL; fails naming the action when it fails. */
  final CompletableFuture<JsonNode> send(String action, Object payload) {
    return client.call(action, payload);
  }

  /** Queues station work; see {@link Work#enqueue}. */
  final CompletableFuture<Void> enqueue(String what, Supplier<? extends CompletableFuture<?>> step) {
    if (stopped) {
      return CompletableFuture.failedFuture(new IllegalStateException("the station was stopped"));
    }
    return work.enqueue(what, step);
  }

  /** Runs {@code step} after the answer to {@code call} went out; see {@link Work#afterReply}. */
  final void afterReply(IncomingCall call, String what, Supplier<? extends CompletableFuture<?>> step) {
    if (!stopped) {
      work.afterReply(call, what, step);
    }
  }

  @Override
  public CompletableFuture<Void> idle() {
    return work.idle();
  }

  /** A future completing after {@code delay}, on the shared station timer. */
  static CompletableFuture<Void> delay(Duration delay) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    StationTimer.after(delay, () -> f.complete(null));
    return f;
  }

  /** Whether {@link #stop()} was called. */
  final boolean stopped() {
    return stopped;
  }

  // Not queued: a Heartbeat says nothing about the station's state, so it need not wait for the
  // step in hand, and a CSMS's Reset must not wait for a Heartbeat it is slow to answer.
  @Override
  public CompletableFuture<Void> heartbeat() {
    return send("Heartbeat", Map.of()).thenApply(answer -> (Void) null);
  }

  // ---- lifecycle

  @Override
  public OcppClient client() {
    return client;
  }

  @Override
  public StationProfile profile() {
    return profile;
  }

  @Override
  public CompletableFuture<Void> start() {
    return enqueue("start", () -> client.connect().thenCompose(open -> boot("PowerUp", true)));
  }

  /**
   * Boots (retrying while Pending/Rejected), then announces and arms heartbeats. The returned
   * future fails after {@link #BOOT_WAIT}, but the station keeps trying: the wait is on a copy,
   * and the announcement and heartbeats follow whenever the CSMS accepts. stop() ends the retries.
   */
  final CompletableFuture<Void> boot(String reason, boolean afterBoot) {
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    synchronized (this) {
      booting = accepted;
    }
    CompletableFuture<Void> booted =
        accepted.thenCompose(v -> announce(afterBoot).whenComplete((x, e) -> armHeartbeat()));
    bootAttempt(reason, accepted);
    return booted.copy()
        .orTimeout(BOOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(Work.unwrap(e) instanceof TimeoutException
            ? new IllegalStateException("BootNotification not accepted within " + BOOT_WAIT
                + " (last: " + registration + "); still trying")
            : Work.unwrap(e)));
  }

  private void bootAttempt(String reason, CompletableFuture<Void> accepted) {
    if (stopped || accepted.isDone()) {
      accepted.completeExceptionally(new IllegalStateException("the station was stopped"));
      return;
    }
    send("BootNotification", bootNotification(reason)).whenComplete((answer, error) -> {
      if (error != null) {
        // Not answered (timeout, connection lost): try again after the default interval.
        retryBoot(Duration.ofSeconds(10), reason, accepted);
        return;
      }
      registration = answer.path("status").asString("");
      int interval = answer.path("interval").asInt(0);
      if ("Accepted".equals(registration)) {
        if (interval > 0) {
          heartbeatInterval = Duration.ofSeconds(interval);
        }
        accepted.complete(null);
      } else {
        retryBoot(Duration.ofSeconds(interval > 0 ? interval : 30), reason, accepted);
      }
    });
  }

  // One pending retry per station, kept so that stop() can cancel it.
  private synchronized void retryBoot(Duration after, String reason, CompletableFuture<Void> accepted) {
    if (!stopped) {
      bootRetry = StationTimer.after(after, () -> bootAttempt(reason, accepted));
    }
  }

  /** The heartbeat interval the CSMS set (BootNotification, or a configuration change). */
  final Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Changes the heartbeat interval and re-arms the timer (0: off). */
  final void heartbeatInterval(Duration interval) {
    heartbeatInterval = interval;
    armHeartbeat();
  }

  private synchronized void armHeartbeat() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
    Duration every = heartbeatInterval;
    if (!stopped && !every.isZero() && !every.isNegative()) {
      heartbeat = StationTimer.every(every, every, () -> {
        if (client.state() == dev.ocppj.client.ClientState.OPEN) {
          send("Heartbeat", Map.of()).exceptionally(e -> null);
        }
      });
    }
  }

  /**
   * Reboots: stops transactions for {@code stopReason}, closes with 1012, stays off for the
   * profile's reboot delay, connects and boots again. Queued after the step in hand.
   */
  final CompletableFuture<Void> reboot(String type, String stopReason, String bootReason) {
    return enqueue("reboot (" + type + ")", () -> {
      emit(l -> l.onReboot(type));
      return stopAllTransactions(stopReason)
          .exceptionally(e -> null)
          .thenCompose(v -> {
            cancelTimers();
            return client.close(REBOOT);
          })
          .thenCompose(closed -> delay(profile.rebootDelay()))
          .thenCompose(v -> client.connect())
          .thenCompose(open -> boot(bootReason, true));
    });
  }

  @Override
  public CompletableFuture<Void> goOffline() {
    return enqueue("go offline", () -> client.close(OFFLINE));
  }

  @Override
  public CompletableFuture<Void> goOnline() {
    return enqueue("go online", () -> client.connect().thenCompose(open -> announce(false)));
  }

  @Override
  public CompletableFuture<Void> stop() {
    CompletableFuture<Void> f = enqueue("stop", () -> stopAllTransactions("Local").exceptionally(e -> null));
    stopped = true;
    CompletableFuture<Void> boot;
    synchronized (this) {
      boot = booting;
      if (bootRetry != null) {
        bootRetry.cancel(false);
      }
    }
    if (boot != null) {
      // A boot the CSMS does not accept must not hold the stop step behind it.
      boot.completeExceptionally(new IllegalStateException("the station was stopped"));
    }
    return f.handle((v, e) -> null).thenCompose(v -> {
      synchronized (this) {
        if (heartbeat != null) {
          heartbeat.cancel(false);
        }
      }
      cancelTimers();
      return client.closeAsync().thenApply(c -> (Void) null);
    });
  }

  @Override
  public void close() {
    Duration wait = client.options().callTimeout().multipliedBy(2).plusSeconds(5);
    try {
      stop().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      client.close(CloseOptions.defaults().withForce(true));
    }
  }

  /** The current time as OCPP writes it (UTC, whole seconds are enough for a CSMS). */
  static OffsetDateTime now() {
    return OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0);
  }
}
