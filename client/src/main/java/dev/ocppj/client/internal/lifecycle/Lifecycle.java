package dev.ocppj.client.internal.lifecycle;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.OfflineOverflow;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.ReconnectEvent;
import dev.ocppj.client.ReconnectPolicy.Reason;
import dev.ocppj.client.Transport;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.internal.outbound.Outbound;
import dev.ocppj.client.internal.reconnect.Reconnector;
import dev.ocppj.client.internal.runtime.OcppFuture;
import dev.ocppj.client.internal.runtime.SharedRuntime;
import dev.ocppj.client.internal.runtime.Timers;
import dev.ocppj.client.internal.session.ClientParts;
import dev.ocppj.client.internal.session.Session;
import dev.ocppj.client.internal.transport.WebSocketTransport;
import dev.ocppj.client.internal.transport.WebSocketTransport.ConnectRequest;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectFailedException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's lifecycle: {@code connect()}, the open connection, reconnects with backoff, {@code
 * close()} and the final close. Each connection is a {@link Session}; this class decides when
 * one starts and what its end means.
 *
 * <p>One {@code connect()} is one <em>cycle</em>, which ends with exactly one final close: the
 * client is then CLOSED, every call left fails, the connect future (if still open) fails, the
 * close future (if any) completes, and the close event is the last event of the cycle. Every
 * lifecycle future completes exactly once, whatever interleaving of connect, close, reconfigure
 * and drops happens: each transition is decided under one lock, and whoever decides an outcome
 * completes its future.
 *
 * <p>No user code runs under the lock: events, futures and the reconnect policy are called after
 * it is released (the policy on the scheduler thread). Stale callbacks, from a session or a cycle
 * that is no longer current, are ignored.
 */
public final class Lifecycle implements Session.Owner, Outbound.Connections {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final ClientParts parts;
  // A transport the tests inject, else null: the options choose.
  private final WebSocketTransport transport;
  private final Reconnector reconnector = new Reconnector();
  private final Object lock = new Object();

  // Guarded by lock; the volatile ones are also read without it.
  private volatile ClientState state = ClientState.CLOSED;
  private volatile Session open;
  private Cycle cycle;
  private CloseEvent lastClose;
  // After the first negotiation only that version is offered, so a reconnect cannot switch.
  private OcppVersion negotiated;

  public Lifecycle(ClientParts parts, WebSocketTransport transport) {
    this.parts = parts;
    this.transport = transport;
    // A user executor that rejects (shut down under the client) must not leave it half-alive.
    parts.user().onRejected(e -> SharedRuntime.userExecutor().execute(() -> executorRejected(e)));
    // Listeners that caught up may let a connection paused for their backlog read again.
    parts.events().afterBatch(
        () -> {
          Session s = open;
          if (s != null) {
            s.maybeResume();
          }
        });
  }

  private ClientOptions options() {
    return parts.options().get();
  }

  private String identity() {
    return parts.identity();
  }

  @Override
  public ClientState state() {
    return state;
  }

  @Override
  public Session openSession() {
    return open;
  }

  /** The version the open connection negotiated, or null when none is open. */
  public OcppVersion protocol() {
    Session s = open;
    return s == null || state != ClientState.OPEN ? null : s.version();
  }

  // ---- connect

  /** Starts connecting; see {@code OcppClient.connect()}. */
  public CompletableFuture<OpenEvent> connect() {
    Cycle c;
    synchronized (lock) {
      if (state != ClientState.CLOSED) {
        throw new IllegalStateException(
            "connect() needs a CLOSED client, but " + identity() + " is " + state);
      }
      c = cycle = new Cycle();
      state = ClientState.CONNECTING;
      parts.timers().acquire();
      c.events = parts.events().reopen();
    }
    parts.metrics().stateChanged(ClientState.CLOSED, ClientState.CONNECTING);
    parts.user().reset();
    parts.pending().reopen();
    // Cancelling the connect future abandons the attempt.
    c.connectFuture.whenComplete(
        (r, e) -> {
          if (c.connectFuture.isCancelled()) {
            close(CloseOptions.defaults().withForce(true));
          }
        });
    startAttempt(c);
    return c.connectFuture;
  }

  /** Starts one connect attempt, the first or a reconnect. */
  private void startAttempt(Cycle c) {
    Session s;
    ConnectRequest request;
    synchronized (lock) {
      c.reconnectTimer = null;
      if (cycle != c || state != ClientState.CONNECTING || c.closing != null) {
        return; // closed, or switched off, since the attempt was planned
      }
      ClientOptions o = options();
      s = c.session = new Session(parts, this, o.connectionUrl());
      s.connectTimer = parts.timers().schedule(() -> connectTimedOut(s), o.connectTimeout());
      request = ConnectRequests.of(o, negotiated, s.url());
    }
    parts.events().fire(Listeners.Kind.CONNECTING, s.url(), ClientListener::onConnecting);
    WebSocketTransport.Connection connection;
    try {
      connection = transportFor(options()).connect(request, s);
    } catch (RuntimeException | Error e) {
      // No thread, a TLS context that cannot make sockets: the attempt could not even start.
      connectFailed(
          s,
          WebSocketTransport.Failure.LOCAL,
          -1,
          "could not start the connection: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
      return;
    }
    s.attach(connection);
  }

  private WebSocketTransport transportFor(ClientOptions o) {
    if (transport != null) {
      return transport;
    }
    return o.transport() == Transport.NETTY ? WebSocketTransport.netty() : WebSocketTransport.javaWebSocket();
  }

  private void connectTimedOut(Session s) {
    s.timedOut = true;
    s.abort();
  }

  // ---- transport events, on the transport's thread

  @Override
  public void opened(Session s, String subprotocol, Map<String, String> headers) {
    OcppVersion version = OcppVersion.fromSubprotocol(subprotocol).orElseThrow();
    Cycle c;
    boolean settle;
    synchronized (lock) {
      c = cycle;
      if (c == null || c.session != s || s.ended || state != ClientState.CONNECTING || c.closing != null) {
        c = null; // closed or superseded while the upgrade was in flight
        settle = false;
      } else {
        Timers.cancel(s.connectTimer);
        state = ClientState.OPEN;
        open = s;
        c.everOpened = true;
        s.openedAtNanos = System.nanoTime();
        negotiated = version;
        settle = !c.connectSettled;
        c.connectSettled = true;
      }
    }
    if (c == null) {
      s.abort();
      return;
    }
    parts.metrics().stateChanged(ClientState.CONNECTING, ClientState.OPEN);
    log.debug("[{}] open, {} at {}", identity(), version, s.url());
    OpenEvent event = new OpenEvent(s.url(), version, headers);
    s.started(version, event);
    parts.pending().opened();
    if (parts.transactions() != null) {
      parts.transactions().opened();
    }
    parts.events().fire(Listeners.Kind.OPEN, event, ClientListener::onOpen);
    if (settle) {
      Cycle settled = c;
      // After the listeners heard of it, so whoever waits for the open sees their effects.
      parts.events().afterEvents(parts.user(), () -> settled.connectFuture.complete(event));
    }
  }

  @Override
  public void connectFailed(
      Session s, WebSocketTransport.Failure failure, int httpStatus, String message, Throwable cause) {
    Cycle c;
    CloseOptions userClose;
    ConnectFailedException error = null;
    synchronized (lock) {
      c = cycle;
      if (c == null || c.session != s || s.ended) {
        return;
      }
      s.ended = true;
      Timers.cancel(s.connectTimer);
      userClose = state == ClientState.CLOSING ? c.closing : null;
      if (userClose == null) {
        String why = s.timedOut ? "no connection within connectTimeout " + options().connectTimeout() : message;
        error = c.lastFailure = new ConnectFailedException(s.url(), httpStatus, why, cause);
      }
    }
    s.stopped();
    if (userClose != null) {
      finalClose(c, new CloseEvent(userClose.code(), userClose.reason(), false), null);
      return;
    }
    log.debug("[{}] {}", identity(), error.getMessage());
    parts.events().fire(Listeners.Kind.ERROR, error, ClientListener::onError);
    Reason reason = Reconnector.reasonOf(failure, s.timedOut);
    plan(c, reason, httpStatus, -1, error, null);
  }

  @Override
  public void closed(Session s, int code, String reason, boolean remote) {
    Cycle c;
    boolean requested;
    boolean stable;
    ClientState dropped;
    synchronized (lock) {
      c = cycle;
      if (c == null || c.session != s || s.ended) {
        return;
      }
      s.ended = true;
      open = null;
      Timers.cancel(s.closeTimer);
      requested = state == ClientState.CLOSING;
      dropped = state;
      if (!requested) {
        // Disconnected: a reconnect, or the final close, follows. A close() from now on sees
        // that no connection is left to close.
        state = ClientState.CONNECTING;
      }
      stable = System.nanoTime() - s.openedAtNanos >= options().backoffResetAfter().toNanos();
      if (stable) {
        c.attempt = 0; // only a connection that stayed up counts as recovered
      }
    }
    s.stopped();
    if (!requested) {
      parts.metrics().stateChanged(dropped, ClientState.CONNECTING);
    }
    CloseEvent event = new CloseEvent(code, reason, remote);
    log.debug("[{}] closed: {} {} (remote {})", identity(), code, reason, remote);
    parts.pending().connectionLost(code, reason);
    if (requested) {
      finalClose(c, event, null);
      return;
    }
    parts.events().fire(Listeners.Kind.DISCONNECT, event, ClientListener::onDisconnect);
    synchronized (lock) {
      lastClose = event;
    }
    plan(c, Reason.DISCONNECTED, -1, code, null, event);
  }

  @Override
  public void error(Session s, Throwable error) {
    if (isCurrent(s)) {
      parts.events().fire(Listeners.Kind.ERROR, error, ClientListener::onError);
    }
  }

  @Override
  public void pongTimedOut(Session s) {
    if (!isCurrent(s) || state != ClientState.OPEN) {
      return;
    }
    log.warn("[{}] no pong within {}; dropping the connection", identity(), options().effectivePongTimeout());
    parts.metrics().pongTimeout();
    OpenEvent e = s.openEvent();
    if (e != null) {
      parts.events().fire(Listeners.Kind.PONG_TIMEOUT, e, ClientListener::onPongTimeout);
    }
    s.abort();
  }

  @Override
  public void refuse(Session s, int code, String reason) {
    synchronized (lock) {
      if (cycle == null || cycle.session != s || s.ended || state != ClientState.OPEN || s.closeTimer != null) {
        return;
      }
      s.closeTimer = parts.timers().schedule(s::abort, options().closeTimeout());
    }
    log.warn("[{}] closing the connection with {}: {}", identity(), code, reason);
    s.close(code, reason);
  }

  @Override
  public void tooManyBadMessages(Session s, int count) {
    if (!isCurrent(s) || state != ClientState.OPEN) {
      return;
    }
    log.warn("[{}] closing after {} consecutive bad messages", identity(), count);
    close(new CloseOptions(1002, "too many bad messages", false, false));
  }

  private boolean isCurrent(Session s) {
    synchronized (lock) {
      return cycle != null && cycle.session == s && !s.ended;
    }
  }

  // ---- reconnecting

  /**
   * The connection or attempt ended unasked: either the cycle ends here, or the policy is asked
   * for the delay of the next attempt, on the scheduler thread.
   */
  private void plan(
      Cycle c, Reason reason, int httpStatus, int closeCode, ConnectFailedException error, CloseEvent dropped) {
    ClientOptions o = options();
    String end = null;
    int number;
    synchronized (lock) {
      if (cycle != c || state != ClientState.CONNECTING || c.closing != null) {
        return;
      }
      if (!c.everOpened && Reconnector.isRefusal(reason, httpStatus)) {
        end = "gave up, retrying cannot help: ";
      } else if (!o.reconnect()) {
        end = CloseReasons.RECONNECT_OFF;
      } else if (!c.everOpened && !o.retryInitialConnect()) {
        end = "";
      }
      number = ++c.attempt;
      if (end == null) {
        c.deciding = true;
      }
    }
    if (end != null) {
      finalClose(c, CloseReasons.finalEvent(end, dropped, error), error);
      return;
    }
    if (!parts.timers().execute(() -> decide(c, number, reason, httpStatus, closeCode, error, dropped, error))) {
      finalClose(c, CloseReasons.finalEvent(CloseReasons.RECONNECT_OFF, dropped, error), error); // no scheduler: closed
    }
  }

  /** Asks the policy (user code: no lock held), then schedules the attempt or ends the cycle. */
  private void decide(
      Cycle c,
      int number,
      Reason reason,
      int httpStatus,
      int closeCode,
      Throwable cause,
      CloseEvent dropped,
      ConnectFailedException error) {
    Duration delay;
    String end;
    try {
      delay = reconnector.next(options(), number, reason, httpStatus, closeCode, cause);
      end = delay != null ? null : number > options().maxReconnects()
          ? "gave up after " + (number - 1) + " reconnect attempts: "
          : "the reconnect policy gave up after " + (number - 1) + " attempts: ";
    } catch (RuntimeException e) {
      log.warn("[{}] the reconnect policy threw; not reconnecting", identity(), e);
      parts.events().fire(Listeners.Kind.ERROR, e, ClientListener::onError);
      delay = null;
      end = "the reconnect policy failed (" + e + "): ";
    }
    synchronized (lock) {
      if (cycle != c || state != ClientState.CONNECTING || c.closing != null || !c.deciding) {
        return; // closed or switched off meanwhile; whoever did that ended the cycle
      }
      if (delay == null || !options().reconnect()) {
        c.deciding = false;
      }
    }
    if (delay == null || !options().reconnect()) {
      finalClose(c, CloseReasons.finalEvent(end == null ? CloseReasons.RECONNECT_OFF : end, dropped, error), error);
      return;
    }
    log.debug("[{}] reconnect attempt {} in {}", identity(), number, delay);
    // The event goes out before the attempt can start, so it always precedes its connecting event.
    parts.events().fire(Listeners.Kind.RECONNECT, new ReconnectEvent(number, delay), ClientListener::onReconnect);
    parts.metrics().reconnectScheduled(number, delay);
    synchronized (lock) {
      if (cycle != c || state != ClientState.CONNECTING || c.closing != null || !c.deciding) {
        return;
      }
      c.deciding = false;
      c.reconnectTimer = parts.timers().schedule(() -> startAttempt(c), delay);
    }
  }

  // ---- close

  /** Closes; see {@code OcppClient.close(CloseOptions)}. */
  public CompletableFuture<CloseEvent> close(CloseOptions o) {
    Objects.requireNonNull(o, "options");
    Cycle c;
    ClientState previous;
    Session s;
    boolean attemptRunning;
    ScheduledFuture<?> waiting;
    synchronized (lock) {
      if (state == ClientState.CLOSED) {
        OcppFuture<CloseEvent> done = new OcppFuture<>();
        done.complete(lastClose != null ? lastClose : new CloseEvent(o.code(), o.reason(), false));
        return done;
      }
      c = cycle;
      if (c.closeFuture != null) {
        return c.closeFuture;
      }
      c.closeFuture = new OcppFuture<>();
      c.closing = o;
      previous = state;
      state = ClientState.CLOSING;
      s = c.session;
      attemptRunning = s != null && !s.ended;
      waiting = c.reconnectTimer;
      c.reconnectTimer = null;
      c.deciding = false;
    }
    parts.metrics().stateChanged(previous, ClientState.CLOSING);
    parts.pending().failUnsent(call -> new ClientClosedException(call + " was not sent: the client is closing"));
    if (previous == ClientState.CONNECTING) {
      if (attemptRunning) {
        s.abort(); // the attempt reports back, and its end closes the client
      } else {
        Timers.cancel(waiting);
        finalClose(c, new CloseEvent(o.code(), o.reason(), false), null);
      }
    } else if (o.force()) {
      s.abort();
    } else if (o.awaitPending()) {
      parts.pending().whenNoneInFlight().thenRun(() -> startCloseHandshake(c, s, o));
    } else {
      startCloseHandshake(c, s, o);
    }
    return c.closeFuture;
  }

  private void startCloseHandshake(Cycle c, Session s, CloseOptions o) {
    synchronized (lock) {
      if (cycle != c || c.session != s || s.ended || state != ClientState.CLOSING) {
        return; // the connection went away while close() waited
      }
      // A peer that never answers the close frame must not hold close() forever. A close the
      // session started itself (refuse) is already under way with its own deadline.
      if (s.closeTimer == null) {
        s.closeTimer = parts.timers().schedule(s::abort, options().closeTimeout());
      }
    }
    s.close(o.code(), o.reason());
  }

  /**
   * The end of a cycle: the client is CLOSED, every call left fails, the connect and close
   * futures complete after the listeners heard the close, the scheduler lease is returned.
   */
  private void finalClose(Cycle c, CloseEvent event, Throwable connectError) {
    boolean settleConnect;
    ClientState before;
    OcppFuture<CloseEvent> closeFuture;
    CloseOptions userClose;
    Session s;
    synchronized (lock) {
      if (cycle != c || c.finished) {
        return;
      }
      // CLOSING until everything below is done: a connect() cannot start the next cycle while
      // this one still closes its registry and its events, and a close() meanwhile gets the
      // future completed at the end.
      c.finished = true;
      before = state;
      state = ClientState.CLOSING;
      open = null;
      Timers.cancel(c.reconnectTimer);
      c.reconnectTimer = null;
      c.deciding = false;
      s = c.session;
      if (s != null) {
        Timers.cancel(s.connectTimer);
        Timers.cancel(s.closeTimer);
      }
      settleConnect = !c.connectSettled;
      c.connectSettled = true;
      if (c.closeFuture == null) {
        c.closeFuture = new OcppFuture<>();
      }
      closeFuture = c.closeFuture;
      userClose = c.closing;
    }
    parts.metrics().stateChanged(before, ClientState.CLOSING);
    String why = CloseReasons.why(event, userClose != null, c.everOpened ? null : connectError);
    parts.pending().close(why, call -> new ClientClosedException(call + " was not sent: " + why));
    if (parts.transactions() != null) {
      parts.transactions().clientClosed(why);
    }
    if (s != null) {
      s.stopped();
    }
    Throwable failure =
        connectError != null
            ? connectError
            : new ClientClosedException(
                "connect to " + (s != null ? s.url() : options().connectionUrl())
                    + (userClose != null ? " was cancelled by close()" : " ended: " + why));
    synchronized (lock) {
      state = ClientState.CLOSED;
      lastClose = event;
      parts.timers().release();
    }
    parts.metrics().stateChanged(ClientState.CLOSING, ClientState.CLOSED);
    parts.metrics().clientClosed();
    // Listeners hear the close with the client CLOSED; a connect() that raced in keeps its events.
    parts.events().fireFinal(event, c.events);
    // After the listeners heard of it, so that whoever waits for the close sees their effects and
    // may connect() again at once.
    parts.events()
        .afterEvents(
            parts.user(),
            () -> {
              if (settleConnect) {
                c.connectFuture.completeExceptionally(failure);
              }
              closeFuture.complete(event);
            });
  }

  // ---- options

  /**
   * Applies a change of options that takes effect at once: the call queue's limits, the
   * narrowing to the negotiated version, the pings, and {@code reconnect(false)}, which ends a
   * cycle that is waiting to reconnect.
   */
  public void reconfigured(ClientOptions previous, ClientOptions next) {
    if (previous.callConcurrency() != next.callConcurrency()) {
      parts.pending().setConcurrency(next.callConcurrency());
    }
    if (previous.maxQueuedCalls() != next.maxQueuedCalls()) {
      parts.pending().setMaxQueued(next.maxQueuedCalls());
    }
    if (previous.offlineQueue() != next.offlineQueue() || previous.offlineOverflow() != next.offlineOverflow()) {
      parts.pending().setOffline(next.offlineQueue(), next.offlineOverflow() == OfflineOverflow.DROP_OLDEST);
    }
    Cycle ended = null;
    ScheduledFuture<?> cancelled = null;
    CloseEvent last;
    ConnectFailedException failure = null;
    Session s;
    synchronized (lock) {
      if (!previous.protocols().equals(next.protocols())) {
        negotiated = null; // the user chose again
      }
      Cycle c = cycle;
      if (!next.reconnect()
          && c != null
          && state == ClientState.CONNECTING
          && c.closing == null
          && (c.reconnectTimer != null || c.deciding)) {
        ended = c;
        cancelled = c.reconnectTimer;
        c.reconnectTimer = null;
        c.deciding = false;
        failure = c.lastFailure;
      }
      last = lastClose;
      s = state == ClientState.OPEN ? open : null;
    }
    if (s != null
        && (!previous.pingInterval().equals(next.pingInterval())
            || !previous.effectivePongTimeout().equals(next.effectivePongTimeout())
            || previous.deferPingsOnActivity() != next.deferPingsOnActivity())) {
      s.restartPings();
    }
    if (ended != null) {
      Timers.cancel(cancelled);
      CloseEvent event =
          ended.everOpened && last != null
              ? new CloseEvent(last.code(), "reconnect was switched off", last.remote())
              : new CloseEvent(1006, "reconnect was switched off", true);
      finalClose(ended, event, failure);
    }
  }

  // ---- a user executor that rejects

  private void executorRejected(RuntimeException e) {
    IllegalStateException error =
        new IllegalStateException(
            "the callbackExecutor rejected a task (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + "); closing the client, and running its remaining callbacks on the library's own executor",
            e);
    log.error("[{}] {}", identity(), error.getMessage());
    parts.events().fire(Listeners.Kind.ERROR, error, ClientListener::onError);
    close(new CloseOptions(1011, "callbackExecutor rejected a task", false, false));
  }
}
