package dev.ocppj.client.internal.session;

import dev.ocppj.client.CallOptions;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.Registration;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.middleware.MiddlewareChain;
import dev.ocppj.client.internal.pending.PendingCall;
import dev.ocppj.client.internal.pending.PendingCalls;
import dev.ocppj.client.internal.router.HandlerRouter;
import dev.ocppj.client.internal.runtime.SharedRuntime;
import dev.ocppj.client.internal.transport.WebSocketTransport;
import dev.ocppj.client.internal.transport.WebSocketTransport.ConnectRequest;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.ConnectFailedException;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcPhase;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The engine behind {@code OcppClient}: the connection lifecycle (connect, open, close, the final
 * close) and outgoing calls. Incoming frames are {@link Inbound}'s.
 *
 * <p>Lifecycle changes happen under one lock and never call out while holding it: transport
 * operations and event delivery happen after it is released. Events reach listeners through
 * {@link Listeners}, futures complete on the callback executor.
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final Object lock = new Object();
  private final Executor callbackExecutor;
  private final WebSocketTransport transport;
  private final HandlerRouter router;
  private final MiddlewareChain middleware;
  private final Listeners listeners;
  private final MessageIds ids = new MessageIds();
  private final PendingCalls pending;
  private final Inbound inbound;
  private final Strictness strictness = new Strictness(this);
  private volatile ClientOptions options;

  // Guarded by lock; state and scheduler are also read without it.
  private volatile ClientState state = ClientState.CLOSED;
  private volatile ScheduledExecutorService scheduler;
  private volatile Link link;
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
    this.transport = transport;
    this.router = router;
    this.middleware = middleware;
    this.listeners = new Listeners(options.identity(), callbackExecutor);
    for (ClientListener l : initialListeners) {
      listeners.add(l);
    }
    this.pending =
        new PendingCalls(
            options.callConcurrency(), this::schedule, callbackExecutor, this::sendCall);
    this.inbound = new Inbound(this);
  }

  // ---- accessors for Inbound and Link

  String identity() {
    return options.identity();
  }

  ClientOptions options() {
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

  Strictness strictness() {
    return strictness;
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
    Link l = currentLink();
    return l == null || state != ClientState.OPEN ? null : l.version;
  }

  private Link currentLink() {
    synchronized (lock) {
      return link;
    }
  }

  /** Calls waiting for an answer or for a slot: {@code [inFlight, queued]}. */
  public int[] pendingCounts() {
    return new int[] {pending.inFlight(), pending.queued()};
  }

  /** Starts connecting; see {@code OcppClient.connect()}. */
  public CompletableFuture<OpenEvent> connect() {
    Link l;
    CompletableFuture<OpenEvent> f;
    ClientOptions o;
    synchronized (lock) {
      if (state != ClientState.CLOSED) {
        throw new IllegalStateException(
            "connect() needs a CLOSED client, but " + options.identity() + " is " + state);
      }
      o = options;
      scheduler = SharedRuntime.acquireScheduler();
      pending.reopen();
      state = ClientState.CONNECTING;
      closeFuture = null;
      closing = null;
      f = connectFuture = new CompletableFuture<>();
      l = link = new Link(this, o.connectionUrl());
      l.connectTimer = schedule(() -> connectTimedOut(l), o.connectTimeout());
    }
    // Cancelling the connect future abandons the attempt.
    f.whenComplete(
        (r, e) -> {
          if (f.isCancelled()) {
            close(CloseOptions.defaults().withForce(true));
          }
        });
    listeners.fire(Listeners.Kind.CONNECTING, l.url, ClientListener::onConnecting);
    List<String> subprotocols = new ArrayList<>();
    for (OcppVersion v : o.protocols()) {
      subprotocols.add(v.subprotocol());
    }
    l.attach(
        transport.connect(
            new ConnectRequest(l.url, subprotocols, Map.of(), o.connectTimeout()), l));
    return f;
  }

  private void connectTimedOut(Link l) {
    l.timedOut = true;
    l.abort();
  }

  /** Makes a call; see {@code OcppClient.call(...)}. */
  public CompletableFuture<JsonNode> call(
      OcppVersion version, String action, Object params, CallOptions callOptions) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(callOptions, "callOptions");
    if (action.isEmpty()) {
      throw new IllegalArgumentException("action must not be empty");
    }
    ClientOptions o = options;
    if (version != null && !o.protocols().contains(version)) {
      throw new IllegalArgumentException(
          action + " is an " + version + " call, but the client offers only " + o.protocols());
    }
    JsonNode payload = Payloads.toObject(params, () -> "params of " + action);
    ClientState st = state;
    if (st == ClientState.CLOSED || st == ClientState.CLOSING) {
      return CompletableFuture.failedFuture(
          new ClientClosedException(
              action + " was not sent: the client is " + st
                  + (st == ClientState.CLOSED ? "; call connect() first" : "")));
    }
    Link l = currentLink();
    OcppVersion negotiated = l == null ? null : l.version;
    if (version != null && negotiated != null && version != negotiated) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              action + " is an " + version + " call, but the connection speaks " + negotiated));
    }
    String id = ids.next();
    Duration timeout = callOptions.timeout() != null ? callOptions.timeout() : o.callTimeout();
    AtomicReference<PendingCall> submitted = new AtomicReference<>();
    RpcContext ctx =
        new RpcContext(RpcPhase.OUTGOING_CALL, o.identity(), negotiated, action, id, payload, null);
    CompletionStage<JsonNode> stage =
        middleware.execute(
            ctx,
            c -> {
              PendingCall call =
                  new PendingCall(
                      id,
                      action,
                      version,
                      RpcCodec.encodeCall(RpcCodec.CALL, id, action, c.params()),
                      c.params(),
                      timeout);
              submitted.set(call);
              pending.submit(call);
              return call.answer();
            });
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            result.completeExceptionally(unwrap(error));
          } else {
            result.complete(value);
          }
        });
    Registration token =
        callOptions.cancelToken() == null
            ? null
            : callOptions.cancelToken().onCancel(() -> result.cancel(false));
    result.whenComplete(
        (value, error) -> {
          if (token != null) {
            token.remove();
          }
          PendingCall call = submitted.get();
          if (result.isCancelled() && call != null && pending.remove(call)) {
            // The entry is gone, so a late answer is dropped; the chain sees the cancellation.
            call.answer().completeExceptionally(new CancellationException(call + " cancelled"));
          }
        });
    return result;
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The PendingCalls sender: sends on the current link, if it is open. */
  private PendingCalls.Sender.Outcome sendCall(PendingCall call) {
    // Runs under the PendingCalls lock, so it must not take the session lock (connect() holds
    // that while it reopens the registry). A link that closes meanwhile refuses the frame.
    ClientState st = state;
    Link l = st == ClientState.OPEN || st == ClientState.CLOSING ? link : null;
    if (l == null || l.version == null) {
      return PendingCalls.Sender.Outcome.NOT_OPEN;
    }
    if (call.version() != null && call.version() != l.version) {
      call.reject(
          new IllegalStateException(
              call + " is an " + call.version() + " call, but the connection speaks "
                  + l.version));
      return PendingCalls.Sender.Outcome.REJECTED;
    }
    RpcException invalid =
        strictness.check(
            l.version, RpcPhase.OUTGOING_CALL, call.action(), call.messageId(), Role.REQUEST, call.params());
    if (invalid != null) {
      call.reject(invalid);
      return PendingCalls.Sender.Outcome.REJECTED;
    }
    return l.send(call.frame())
        ? PendingCalls.Sender.Outcome.SENT
        : PendingCalls.Sender.Outcome.NOT_OPEN;
  }

  /**
   * Sends an OCPP 2.1 SEND message; see {@code OcppClient.send(...)}. Not subject to {@code
   * callConcurrency}: it is never answered, so it holds no slot.
   */
  public CompletableFuture<Void> send(OcppVersion version, String action, Object params) {
    Objects.requireNonNull(action, "action");
    if (action.isEmpty()) {
      throw new IllegalArgumentException("action must not be empty");
    }
    JsonNode payload = Payloads.toObject(params, () -> "params of " + action);
    ClientState st = state;
    Link l = link;
    if (st != ClientState.OPEN || l == null || l.version == null) {
      return CompletableFuture.failedFuture(
          new ClientClosedException(action + " was not sent: the client is " + st + ", not OPEN"));
    }
    if (l.version != OcppVersion.V2_1 || (version != null && version != l.version)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              action + " was not sent: SEND messages exist only in OCPP 2.1, and the connection"
                  + " speaks " + l.version));
    }
    String id = ids.next();
    RpcContext ctx =
        new RpcContext(RpcPhase.OUTGOING_CALL, identity(), l.version, action, id, payload, null);
    CompletableFuture<Void> result = new CompletableFuture<>();
    middleware
        .execute(
            ctx,
            c -> {
              RpcException invalid =
                  strictness.check(l.version, RpcPhase.OUTGOING_CALL, action, id, Role.REQUEST, c.params());
              if (invalid != null) {
                return CompletableFuture.failedFuture(invalid);
              }
              if (!l.send(RpcCodec.encodeCall(RpcCodec.SEND, id, action, c.params()))) {
                return CompletableFuture.failedFuture(
                    new ConnectionClosedException(action, id, 1006, "connection closed"));
              }
              return CompletableFuture.completedFuture(null);
            })
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                result.completeExceptionally(unwrap(e));
              } else {
                result.complete(null);
              }
            });
    return result;
  }

  /** Closes; see {@code OcppClient.close(CloseOptions)}. */
  public CompletableFuture<CloseEvent> close(CloseOptions o) {
    Objects.requireNonNull(o, "options");
    Link l;
    ClientState previous;
    CompletableFuture<CloseEvent> result;
    CompletableFuture<OpenEvent> connecting;
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
    }
    pending.failUnsent(c -> new ClientClosedException(c + " was not sent: the client is closing"));
    if (previous == ClientState.CONNECTING) {
      callbackExecutor.execute(
          () ->
              connecting.completeExceptionally(
                  new ClientClosedException("connect to " + l.url + " was cancelled by close()")));
      l.abort();
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
        f = connectFuture;
      }
    }
    if (f == null) {
      l.abort();
      return;
    }
    log.debug("[{}] open, {} at {}", identity(), version, l.url);
    pending.opened();
    OpenEvent event = new OpenEvent(l.url, version, headers);
    listeners.fire(Listeners.Kind.OPEN, event, ClientListener::onOpen);
    callbackExecutor.execute(() -> f.complete(event));
  }

  void connectFailed(Link l, int httpStatus, String message, Throwable cause) {
    boolean cancelledByClose;
    CloseOptions o;
    synchronized (lock) {
      if (link != l) {
        return;
      }
      cancel(l.connectTimer);
      cancelledByClose = state == ClientState.CLOSING;
      o = closing;
    }
    if (cancelledByClose) {
      finalClose(new CloseEvent(o.code(), o.reason(), false), "the client was closed");
      return;
    }
    String why =
        l.timedOut ? "no connection within connectTimeout " + options.connectTimeout() : message;
    ConnectFailedException error = new ConnectFailedException(l.url, httpStatus, why, cause);
    log.debug("[{}] {}", identity(), error.getMessage());
    listeners.fire(Listeners.Kind.ERROR, error, ClientListener::onError);
    CompletableFuture<OpenEvent> f;
    synchronized (lock) {
      f = connectFuture;
    }
    // The state is CLOSED before the future fails, so its callers see the final state.
    finalClose(new CloseEvent(1006, error.getMessage(), true), error.getMessage());
    callbackExecutor.execute(() -> f.completeExceptionally(error));
  }

  void closed(Link l, int code, String reason, boolean remote) {
    boolean requested;
    synchronized (lock) {
      if (link != l) {
        return;
      }
      cancel(l.closeTimer);
      requested = state == ClientState.CLOSING;
    }
    CloseEvent event = new CloseEvent(code, reason, remote);
    log.debug("[{}] closed: {} {} (remote {})", identity(), code, reason, remote);
    pending.connectionLost(code, reason);
    if (requested) {
      finalClose(event, "the client was closed");
      return;
    }
    listeners.fire(Listeners.Kind.DISCONNECT, event, ClientListener::onDisconnect);
    finalClose(
        event,
        "the connection closed with code " + code + (reason.isEmpty() ? "" : " (" + reason + ")"));
  }

  void linkError(Link l, Throwable error) {
    synchronized (lock) {
      if (link != l) {
        return;
      }
    }
    listeners.fire(Listeners.Kind.ERROR, error, ClientListener::onError);
  }

  /** Closes the connection after too many consecutive bad messages (OCPP-J: 1002). */
  void closeForBadMessages(Link l, int count) {
    synchronized (lock) {
      if (link != l || state != ClientState.OPEN) {
        return;
      }
    }
    log.warn("[{}] closing after {} consecutive bad messages", identity(), count);
    close(new CloseOptions(1002, "too many bad messages", false, false));
  }

  /** The end of the line: the client is CLOSED, every call left fails, the lease is returned. */
  private void finalClose(CloseEvent event, String why) {
    pending.close(why, c -> new ClientClosedException(c + " was not sent: " + why));
    ScheduledExecutorService s;
    CompletableFuture<CloseEvent> f;
    synchronized (lock) {
      if (state == ClientState.CLOSED) {
        return;
      }
      state = ClientState.CLOSED;
      lastClose = event;
      if (link != null) {
        cancel(link.connectTimer);
        cancel(link.closeTimer);
      }
      s = scheduler;
      scheduler = null;
      f = closeFuture;
    }
    listeners.fire(Listeners.Kind.CLOSE, event, ClientListener::onClose);
    if (f != null) {
      callbackExecutor.execute(() -> f.complete(event));
    }
    SharedRuntime.releaseScheduler(s);
  }

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
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

  URI url() {
    return options.connectionUrl();
  }
}
