package dev.ocppj.client.internal.session;

import dev.ocppj.client.CallOptions;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.ReconnectEvent;
import dev.ocppj.client.Registration;
import dev.ocppj.client.internal.middleware.MiddlewareChain;
import dev.ocppj.client.internal.pending.PendingCalls;
import dev.ocppj.client.internal.reconnect.Reconnector;
import dev.ocppj.client.internal.router.HandlerRouter;
import dev.ocppj.client.internal.runtime.SerialExecutor;
import dev.ocppj.client.internal.runtime.SharedRuntime;
import dev.ocppj.client.internal.transport.WebSocketTransport;
import dev.ocppj.client.internal.transport.WebSocketTransport.ConnectRequest;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The engine behind {@code OcppClient}: the connection lifecycle (connect, open, reconnect,
 * close, the final close) and the options. Outgoing messages are {@link Outbound}'s, incoming
 * ones {@link Inbound}'s.
 *
 * <p>Lifecycle changes happen under one lock and never call out while holding it: transport
 * operations and event delivery happen after it is released. Events reach listeners through
 * {@link Listeners}, futures complete on the callback executor.
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final Object lock = new Object();
  private final Executor callbackExecutor;
  private final Executor inboundOrder;
  private final WebSocketTransport transport;
  private final HandlerRouter router;
  private final MiddlewareChain middleware;
  private final Listeners listeners;
  private final PendingCalls pending;
  private final Inbound inbound;
  private final Outbound outbound;
  private final Strictness strictness = new Strictness(this);
  private volatile ClientOptions options;

  // Guarded by lock; the volatile ones are also read without it.
  private volatile ClientState state = ClientState.CLOSED;
  private volatile ScheduledExecutorService scheduler;
  private volatile Link link;
  private final Reconnector reconnector = new Reconnector(ThreadLocalRandom.current());
  private ScheduledFuture<?> reconnectTimer;
  private boolean everOpened;
  // After the first negotiation only that version is offered, so a reconnect cannot switch.
  private volatile OcppVersion negotiated;
  private CompletableFuture<OpenEvent> connectFuture;
  private CompletableFuture<CloseEvent> closeFuture;
  private CloseOptions closing;
  private CloseEvent lastClose;

  public Session(
      ClientOptions options,
      Executor callbackExecutor,
      WebSocketTransport transport,
      HandlerRouter router,
      MiddlewareChain middleware,
      List<ClientListener> initialListeners) {
    this.options = options;
    this.callbackExecutor = callbackExecutor;
    this.inboundOrder = new SerialExecutor(callbackExecutor);
    this.transport = transport;
    this.router = router;
    this.middleware = middleware;
    this.listeners = new Listeners(this::identity, callbackExecutor);
    for (ClientListener l : initialListeners) {
      listeners.add(l);
    }
    this.outbound = new Outbound(this);
    this.pending =
        new PendingCalls(options.callConcurrency(), this::schedule, callbackExecutor, outbound::send);
    this.inbound = new Inbound(this);
  }

  // ---- for the other parts of the session

  String identity() {
    return options.identity();
  }

  /** The options in force. */
  public ClientOptions options() {
    return options;
  }

  Listeners listeners() {
    return listeners;
  }

  Inbound inbound() {
    return inbound;
  }

  PendingCalls pending() {
    return pending;
  }

  HandlerRouter router() {
    return router;
  }

  MiddlewareChain middleware() {
    return middleware;
  }

  Executor callbackExecutor() {
    return callbackExecutor;
  }

  /**
   * Where inbound frames take effect, one at a time in arrival order: an answer completes its
   * call's future (running the continuations chained on it), and a CALL that arrived later is
   * handed to its handler only after that. Handlers themselves run on the callback executor, so
   * a handler may block; a continuation that blocks holds back this client's inbound frames.
   */
  Executor inboundOrder() {
    return inboundOrder;
  }

  Strictness strictness() {
    return strictness;
  }

  /** The current link, whatever its state; null before the first connect. */
  Link link() {
    return link;
  }

  // ---- public API, called by OcppClient

  /** Adds a listener; see {@link ClientListener}. */
  public Registration addListener(ClientListener listener) {
    return listeners.add(listener);
  }

  /** The current state. */
  public ClientState state() {
    return state;
  }

  /** The version the open connection negotiated, or null when none is open. */
  public OcppVersion protocol() {
    Link l = link;
    return l == null || state != ClientState.OPEN ? null : l.version;
  }

  /** Calls waiting for an answer or for a slot: {@code [inFlight, queued]}. */
  public int[] pendingCounts() {
    return new int[] {pending.inFlight(), pending.queued()};
  }

  /** Makes a call; see {@code OcppClient.call(...)}. */
  public CompletableFuture<JsonNode> call(
      OcppVersion version, String action, Object params, CallOptions callOptions) {
    return outbound.call(version, action, params, callOptions);
  }

  /** Sends an OCPP 2.1 SEND; see {@code OcppClient.send(...)}. */
  public CompletableFuture<Void> send(OcppVersion version, String action, Object params) {
    return outbound.send(version, action, params);
  }

  /** Starts connecting; see {@code OcppClient.connect()}. */
  public CompletableFuture<OpenEvent> connect() {
    CompletableFuture<OpenEvent> f;
    synchronized (lock) {
      if (state != ClientState.CLOSED) {
        throw new IllegalStateException(
            "connect() needs a CLOSED client, but " + identity() + " is " + state);
      }
      scheduler = SharedRuntime.acquireScheduler();
      state = ClientState.CONNECTING;
      closeFuture = null;
      closing = null;
      everOpened = false;
      reconnector.reset();
      f = connectFuture = new CompletableFuture<>();
    }
    pending.reopen();
    // Cancelling the connect future abandons the attempt.
    f.whenComplete(
        (r, e) -> {
          if (f.isCancelled()) {
            close(CloseOptions.defaults().withForce(true));
          }
        });
    startAttempt(false);
    return f;
  }

  /** Starts one connect attempt, the first or a reconnect. */
  private void startAttempt(boolean fromTimer) {
    Link l;
    ClientOptions o;
    synchronized (lock) {
      if (fromTimer) {
        reconnectTimer = null;
      }
      // close() may have run since the attempt was planned; then there is nothing to do.
      if (state != ClientState.CONNECTING) {
        return;
      }
      o = options;
      l = link = new Link(this, o.connectionUrl());
      l.connectTimer = schedule(() -> connectTimedOut(l), o.connectTimeout());
    }
    listeners.fire(Listeners.Kind.CONNECTING, l.url, ClientListener::onConnecting);
    l.attach(transport.connect(request(o, l), l));
  }

  private ConnectRequest request(ClientOptions o, Link l) {
    OcppVersion only = negotiated;
    List<String> subprotocols = new ArrayList<>();
    if (only != null && o.protocols().contains(only)) {
      subprotocols.add(only.subprotocol());
    } else {
      for (OcppVersion v : o.protocols()) {
        subprotocols.add(v.subprotocol());
      }
    }
    Map<String, String> headers = new LinkedHashMap<>(o.headers());
    if (headers.keySet().stream().noneMatch("User-Agent"::equalsIgnoreCase)) {
      headers.put("User-Agent", LibraryVersion.USER_AGENT);
    }
    String authorization = o.security().basicAuthorization(o.identity());
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return new ConnectRequest(
        l.url,
        subprotocols,
        headers,
        o.connectTimeout(),
        o.security().sslContext(),
        o.security().hostnameVerification());
  }

  private void connectTimedOut(Link l) {
    l.timedOut = true;
    l.abort();
  }

  /** Closes; see {@code OcppClient.close(CloseOptions)}. */
  public CompletableFuture<CloseEvent> close(CloseOptions o) {
    Objects.requireNonNull(o, "options");
    Link l;
    ClientState previous;
    CompletableFuture<CloseEvent> result;
    CompletableFuture<OpenEvent> connecting;
    ScheduledFuture<?> waitingToReconnect;
    boolean linkEnded;
    synchronized (lock) {
      if (state == ClientState.CLOSED) {
        return CompletableFuture.completedFuture(
            lastClose != null ? lastClose : new CloseEvent(o.code(), o.reason(), false));
      }
      if (closeFuture != null) {
        return closeFuture;
      }
      result = closeFuture = new CompletableFuture<>();
      closing = o;
      previous = state;
      state = ClientState.CLOSING;
      l = link;
      connecting = connectFuture;
      waitingToReconnect = reconnectTimer;
      reconnectTimer = null;
      linkEnded = l != null && l.ended;
    }
    pending.failUnsent(c -> new ClientClosedException(c + " was not sent: the client is closing"));
    if (previous == ClientState.CONNECTING) {
      if (!connecting.isDone()) {
        callbackExecutor.execute(
            () ->
                connecting.completeExceptionally(
                    new ClientClosedException(
                        "connect to " + options.connectionUrl() + " was cancelled by close()")));
      }
      if (waitingToReconnect != null || l == null || linkEnded) {
        // Between attempts, or the link just ended: there is no connection to close.
        if (waitingToReconnect != null) {
          waitingToReconnect.cancel(false);
        }
        finalClose(new CloseEvent(o.code(), o.reason(), false), "the client was closed");
      } else {
        l.abort(); // the attempt in progress reports back, and closes the client
      }
    } else if (o.force()) {
      l.abort();
    } else if (o.awaitPending()) {
      pending.whenNoneInFlight().thenRun(() -> startCloseHandshake(l, o));
    } else {
      startCloseHandshake(l, o);
    }
    return result;
  }

  private void startCloseHandshake(Link l, CloseOptions o) {
    synchronized (lock) {
      if (link != l || state != ClientState.CLOSING) {
        return; // the connection went away while close() waited
      }
      // A peer that never answers the close frame must not hold close() forever.
      l.closeTimer = schedule(l::abort, options.closeTimeout());
    }
    l.close(o.code(), o.reason());
  }

  /**
   * Swaps in new options; see {@code OcppClient.reconfigure}. What applies at once is applied
   * here, the rest is read at its next use.
   */
  public void reconfigure(ClientOptions next) {
    ClientOptions previous;
    ScheduledFuture<?> cancelledAttempt = null;
    CloseEvent reason = null;
    Link l;
    synchronized (lock) {
      previous = options;
      options = next;
      if (!previous.protocols().equals(next.protocols())) {
        negotiated = null; // the user chose again
      }
      if (!next.reconnect() && reconnectTimer != null) {
        cancelledAttempt = reconnectTimer;
        reconnectTimer = null;
        reason = lastClose != null ? lastClose : new CloseEvent(1006, "", true);
      }
      l = state == ClientState.OPEN ? link : null;
    }
    if (previous.callConcurrency() != next.callConcurrency()) {
      pending.setConcurrency(next.callConcurrency());
    }
    if (l != null
        && (!previous.pingInterval().equals(next.pingInterval())
            || !previous.effectivePongTimeout().equals(next.effectivePongTimeout())
            || previous.deferPingsOnActivity() != next.deferPingsOnActivity())) {
      l.pinger.restart();
    }
    if (cancelledAttempt != null) {
      cancelledAttempt.cancel(false);
      finalClose(
          new CloseEvent(reason.code(), "reconnect was switched off", reason.remote()),
          "reconnect was switched off");
    }
  }

  // ---- transport events, via Link, on the transport's thread

  void opened(Link l, String subprotocol, Map<String, String> headers) {
    OcppVersion version = OcppVersion.fromSubprotocol(subprotocol).orElseThrow();
    CompletableFuture<OpenEvent> f;
    synchronized (lock) {
      if (link != l || state != ClientState.CONNECTING) {
        f = null; // closed or superseded while the upgrade was in flight
      } else {
        l.version = version;
        cancel(l.connectTimer);
        state = ClientState.OPEN;
        everOpened = true;
        reconnector.opened();
        negotiated = version;
        f = connectFuture;
      }
    }
    if (f == null) {
      l.abort();
      return;
    }
    log.debug("[{}] open, {} at {}", identity(), version, l.url);
    OpenEvent event = new OpenEvent(l.url, version, headers);
    l.openEvent = event;
    pending.opened();
    l.pinger.start();
    listeners.fire(Listeners.Kind.OPEN, event, ClientListener::onOpen);
    listeners.afterEvents(() -> f.complete(event));
  }

  void connectFailed(
      Link l, WebSocketTransport.Failure failure, int httpStatus, String message, Throwable cause) {
    CloseOptions userClose;
    synchronized (lock) {
      if (link != l) {
        return;
      }
      l.ended = true;
      cancel(l.connectTimer);
      userClose = state == ClientState.CLOSING ? closing : null;
    }
    if (userClose != null) {
      finalClose(new CloseEvent(userClose.code(), userClose.reason(), false), "the client was closed");
      return;
    }
    String why = l.timedOut ? "no connection within connectTimeout " + options.connectTimeout() : message;
    ConnectFailedException error = new ConnectFailedException(l.url, httpStatus, why, cause);
    log.debug("[{}] {}", identity(), error.getMessage());
    listeners.fire(Listeners.Kind.ERROR, error, ClientListener::onError);
    boolean fatal = Reconnector.isFatal(failure, httpStatus);
    Duration delay = null;
    int attempts;
    CompletableFuture<OpenEvent> f;
    synchronized (lock) {
      ClientOptions o = options;
      boolean retry = !fatal && o.reconnect() && (everOpened || o.retryInitialConnect());
      if (retry) {
        delay = reconnector.next(o);
      }
      attempts = reconnector.attempt();
      f = connectFuture;
    }
    if (delay != null) {
      scheduleAttempt(delay);
      return;
    }
    String reason =
        fatal
            ? "gave up, retrying cannot help: " + error.getMessage()
            : attempts > 0
                ? "gave up after " + attempts + " reconnect attempts: " + error.getMessage()
                : error.getMessage();
    // The state is CLOSED before the future fails, so its callers see the final state.
    finalClose(new CloseEvent(1006, reason, true), reason);
    if (!f.isDone()) {
      callbackExecutor.execute(() -> f.completeExceptionally(error));
    }
  }

  void closed(Link l, int code, String reason, boolean remote) {
    boolean requested;
    synchronized (lock) {
      if (link != l) {
        return;
      }
      l.ended = true;
      cancel(l.closeTimer);
      requested = state == ClientState.CLOSING;
      if (!requested) {
        // Disconnected: a reconnect, or the final close, follows. A close() from now on sees
        // that no connection is left to close.
        state = ClientState.CONNECTING;
      }
    }
    l.pinger.stop();
    CloseEvent event = new CloseEvent(code, reason, remote);
    log.debug("[{}] closed: {} {} (remote {})", identity(), code, reason, remote);
    pending.connectionLost(code, reason);
    if (requested) {
      finalClose(event, "the client was closed");
      return;
    }
    listeners.fire(Listeners.Kind.DISCONNECT, event, ClientListener::onDisconnect);
    Duration delay;
    int attempts;
    synchronized (lock) {
      lastClose = event;
      delay = options.reconnect() ? reconnector.next(options) : null;
      attempts = reconnector.attempt();
    }
    if (delay != null) {
      scheduleAttempt(delay);
      return;
    }
    String why =
        "the connection closed with code " + code + (reason.isEmpty() ? "" : " (" + reason + ")")
            + (options.reconnect() ? " and the reconnect policy gave up after " + attempts + " attempts" : "");
    finalClose(options.reconnect() ? new CloseEvent(code, why, remote) : event, why);
  }

  /** Waits {@code delay}, then tries again; a close() in between cancels it. */
  private void scheduleAttempt(Duration delay) {
    int attempt;
    synchronized (lock) {
      if (state == ClientState.CLOSING || state == ClientState.CLOSED) {
        return;
      }
      state = ClientState.CONNECTING;
      attempt = reconnector.attempt();
      reconnectTimer = schedule(() -> startAttempt(true), delay);
    }
    log.debug("[{}] reconnect attempt {} in {}", identity(), attempt, delay);
    listeners.fire(
        Listeners.Kind.RECONNECT, new ReconnectEvent(attempt, delay), ClientListener::onReconnect);
  }

  void linkError(Link l, Throwable error) {
    if (link == l) {
      listeners.fire(Listeners.Kind.ERROR, error, ClientListener::onError);
    }
  }

  void linkPinged(Link l) {
    if (link == l && l.openEvent != null) {
      listeners.fire(Listeners.Kind.PING, l.openEvent, ClientListener::onPing);
    }
  }

  void linkPonged(Link l) {
    if (link == l && l.openEvent != null) {
      listeners.fire(Listeners.Kind.PONG, l.openEvent, ClientListener::onPong);
    }
  }

  /** No pong in time: the link is dead. Dropping it makes it close, and reconnect. */
  void pongTimedOut(Link l) {
    if (link != l || state != ClientState.OPEN) {
      return;
    }
    log.warn("[{}] no pong within {}; dropping the connection", identity(), options.effectivePongTimeout());
    listeners.fire(Listeners.Kind.PONG_TIMEOUT, l.openEvent, ClientListener::onPongTimeout);
    l.abort();
  }

  /** Closes the connection after too many consecutive bad messages (OCPP-J: 1002). */
  void closeForBadMessages(Link l, int count) {
    if (link != l || state != ClientState.OPEN) {
      return;
    }
    log.warn("[{}] closing after {} consecutive bad messages", identity(), count);
    close(new CloseOptions(1002, "too many bad messages", false, false));
  }

  /** The end of the line: the client is CLOSED, every call left fails, the lease is returned. */
  private void finalClose(CloseEvent event, String why) {
    pending.close(why, c -> new ClientClosedException(c + " was not sent: " + why));
    ScheduledExecutorService s;
    CompletableFuture<CloseEvent> f;
    Link l;
    synchronized (lock) {
      if (state == ClientState.CLOSED) {
        return;
      }
      state = ClientState.CLOSED;
      lastClose = event;
      l = link;
      if (l != null) {
        cancel(l.connectTimer);
        cancel(l.closeTimer);
      }
      cancel(reconnectTimer);
      reconnectTimer = null;
      s = scheduler;
      scheduler = null;
      f = closeFuture;
    }
    if (l != null) {
      l.pinger.stop();
    }
    listeners.fire(Listeners.Kind.CLOSE, event, ClientListener::onClose);
    if (f != null) {
      // After the listeners heard of it, so that whoever waits for the close sees their effects.
      listeners.afterEvents(() -> f.complete(event));
    }
    SharedRuntime.releaseScheduler(s);
  }

  /** Schedules on the shared scheduler; a task that throws is logged, not lost silently. */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    ScheduledExecutorService s = scheduler;
    if (s == null) {
      throw new IllegalStateException("no scheduler: the client is CLOSED");
    }
    return s.schedule(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("[{}] timer task failed", identity(), e);
          }
        },
        delay.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
