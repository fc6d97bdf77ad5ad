package dev.ocppj.client.internal.session;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.MessageEvent;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.internal.transport.WebSocketTransport;
import dev.ocppj.client.internal.transport.WebSocketTransport.Connection;
import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.client.rpc.Direction;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection: a connect attempt and, if it opens, the WebSocket it becomes. It decodes what
 * arrives ({@link Inbound}), runs the CSMS's calls ({@link IncomingCalls}), sends, pings ({@link
 * Pinger}), and stops reading while too much inbound work waits for user code. A session is never
 * reused; the client's {@link Owner} hears of its lifecycle and ignores a session that is no
 * longer its current one.
 *
 * <p>Threads: the transport's callbacks arrive on its reading thread, one at a time and in order;
 * {@link #send} is called from any thread.
 */
public final class Session implements WebSocketTransport.Listener {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** What the client learns from a session, on the transport's thread. */
  public interface Owner {
    /** The upgrade succeeded with {@code subprotocol}. */
    void opened(Session session, String subprotocol, Map<String, String> headers);

    /** The open connection closed. */
    void closed(Session session, int code, String reason, boolean remote);

    /** The attempt failed before the connection opened. */
    void connectFailed(
        Session session, WebSocketTransport.Failure failure, int httpStatus, String message, Throwable cause);

    /** An error on the open connection (a close follows), or a bound that was hit. */
    void error(Session session, Throwable error);

    /** No pong came in time: the link is dead. */
    void pongTimedOut(Session session);

    /**
     * The CSMS broke the protocol in a way that ends this connection (not the client): start the
     * close handshake with {@code code}, drop the link if it is not answered in time, reconnect
     * as after any drop.
     */
    void refuse(Session session, int code, String reason);

    /** {@code maxBadMessages} consecutive bad messages arrived. */
    void tooManyBadMessages(Session session, int count);
  }

  final ClientParts parts;
  final Owner owner;
  private final URI url;
  private final Inbound inbound;
  final IncomingCalls calls;
  final Pinger pinger;

  private final Object connectionLock = new Object();
  private Connection connection; // guarded by connectionLock
  private boolean abortRequested; // guarded by connectionLock
  // Orders the message events: a frame's OUT event is queued while it is sent, so the IN event of
  // its answer, which cannot arrive before the send, is never reported first.
  private final Object eventOrder = new Object();
  // Guarded by connectionLock: reading paused because user code lags.
  private boolean readingPaused;

  private volatile OcppVersion version;
  private volatile OpenEvent openEvent;
  /** Set once the attempt timed out, for the failure's message. */
  public volatile boolean timedOut;
  /** The owner's: set, under its lock, once the transport reported this session's end. */
  public boolean ended;
  /** The owner's, under its lock: the connect and close deadlines, and when it opened. */
  public ScheduledFuture<?> connectTimer;

  public ScheduledFuture<?> closeTimer;
  public long openedAtNanos;

  public Session(ClientParts parts, Owner owner, URI url) {
    this.parts = parts;
    this.owner = owner;
    this.url = url;
    Answers answers = new Answers(this);
    this.calls = new IncomingCalls(this, answers);
    this.inbound = new Inbound(this, answers);
    this.pinger = new Pinger(this);
  }

  /** The URL this session connects to. */
  public URI url() {
    return url;
  }

  /** The version the open connection negotiated; null before it opened. */
  public OcppVersion version() {
    return version;
  }

  /** The open event, for the ping events; null before it opened. */
  public OpenEvent openEvent() {
    return openEvent;
  }

  String identity() {
    return parts.identity();
  }

  ClientOptions options() {
    return parts.options().get();
  }

  /** The owner accepted the open: remember what it said and start pinging. */
  public void started(OcppVersion negotiated, OpenEvent event) {
    version = negotiated;
    openEvent = event;
    pinger.start();
  }

  /** Re-arms the pings with the current options, for a reconfigure. */
  public void restartPings() {
    pinger.restart();
  }

  /** The owner saw this session end: no more pings, no more handler answers. */
  public void stopped() {
    pinger.stop();
    calls.stopped();
  }

  // ---- the connection

  /** Records the attempt's connection; aborts it at once if {@link #abort()} came first. */
  public void attach(Connection c) {
    boolean abort;
    synchronized (connectionLock) {
      if (connection == null) {
        connection = c;
      }
      abort = abortRequested;
    }
    if (abort) {
      c.abort();
    }
  }

  private Connection connection() {
    synchronized (connectionLock) {
      return connection;
    }
  }

  /** Drops the connection, or cancels the attempt, without a close handshake. */
  public void abort() {
    Connection c;
    synchronized (connectionLock) {
      c = connection;
      abortRequested = true;
    }
    if (c != null) {
      c.abort();
    }
  }

  /** Starts the close handshake. */
  public void close(int code, String reason) {
    Connection c = connection();
    if (c != null) {
      c.close(code, reason);
    }
  }

  /** Sends a WebSocket ping; false if the connection is gone. */
  boolean ping() {
    Connection c = connection();
    return c != null && c.ping();
  }

  /** Sends a frame on this connection and reports it; false if the connection is gone. */
  public boolean send(String text) {
    return send(text, null);
  }

  /**
   * Sends a frame and reports it, then runs {@code onSent} (null for none; it fires the frame's
   * own event), both before anything that arrives after the frame or the connection's close is
   * reported; false if the connection is gone.
   */
  public boolean send(String text, Runnable onSent) {
    Connection c = connection();
    if (c == null) {
      return false;
    }
    Listeners events = parts.events();
    boolean message = events.wants(Listeners.Kind.MESSAGE);
    if (!message && onSent == null) {
      return sendOn(c, text); // nobody to report to: no ordering to keep
    }
    synchronized (eventOrder) {
      if (!sendOn(c, text)) {
        return false;
      }
      if (message) {
        events.fire(Listeners.Kind.MESSAGE, new MessageEvent(Direction.OUT, text), ClientListener::onMessage);
      }
      if (onSent != null) {
        onSent.run();
      }
    }
    return true;
  }

  private boolean sendOn(Connection c, String text) {
    if (!c.send(text)) {
      log.debug("[{}] not sent, connection closed: {}", identity(), abbreviate(text));
      return false;
    }
    return true;
  }

  /** Reports a received frame, after the events of every frame sent before it arrived. */
  void reportReceived(String text) {
    Listeners events = parts.events();
    if (!events.wants(Listeners.Kind.MESSAGE)) {
      return;
    }
    synchronized (eventOrder) {
      events.fire(Listeners.Kind.MESSAGE, new MessageEvent(Direction.IN, text), ClientListener::onMessage);
    }
  }

  // ---- inbound backpressure

  /**
   * After each inbound frame: if more work waits for user code than the options allow, stop
   * reading the socket until it drains (TCP backpressure instead of an unbounded queue). Read
   * thread.
   */
  void checkBacklog() {
    if (!overLimit(1)) {
      return;
    }
    synchronized (connectionLock) {
      if (readingPaused || connection == null) {
        return;
      }
      readingPaused = true;
      // Under the lock with the flag: a resume on a user thread between the two would otherwise
      // be undone by this pause, and nobody would resume again (seen once as a flood that stopped for good).
      connection.pauseReading();
    }
    log.debug("[{}] inbound backlog full; reading paused", identity());
    // It may have drained between the check and the pause.
    maybeResume();
  }

  /** Work for user code finished: reads again once the backlog is down to half its limit. */
  public void maybeResume() {
    synchronized (connectionLock) {
      if (!readingPaused || overLimit(2)) {
        return;
      }
      readingPaused = false;
      connection.resumeReading(); // quick and non-blocking on both transports
    }
    log.debug("[{}] inbound backlog drained; reading again", identity());
  }

  /** True while reading is paused for backpressure (the pinger does not count that as dead). */
  boolean readingPaused() {
    synchronized (connectionLock) {
      return readingPaused;
    }
  }

  /** True if the backlog exceeds its limits divided by {@code divisor}. */
  private boolean overLimit(int divisor) {
    ClientOptions o = options();
    int limit = o.maxInboundBacklog() / divisor;
    return calls.waiting() > limit
        || calls.waitingBytes() > o.maxInboundBacklogBytes() / divisor
        || parts.events().backlog() > limit;
  }

  // ---- transport events, on its thread

  @Override
  public void onOpen(Connection c, String subprotocol, Map<String, String> headers) {
    attach(c);
    owner.opened(this, subprotocol, headers);
  }

  @Override
  public void onText(String text) {
    pinger.activity();
    inbound.onText(text);
    checkBacklog();
  }

  @Override
  public void onBinary(int bytes) {
    // OCPP-J messages are text frames (OCPP-J 1.6 section 4); RFC 6455 7.4.1 has 1003 for a data
    // type the endpoint cannot accept. Content a CSMS put in a binary frame is never acted on.
    pinger.activity();
    parts.metrics().badMessage("binary frame");
    owner.error(this, new BadMessageException(
        "binary frame of " + bytes + " bytes: OCPP-J uses text frames only; closing with 1003", ""));
    owner.refuse(this, 1003, "OCPP-J uses text frames only");
  }

  @Override
  public void onPing() {
    pinger.activity();
    OpenEvent e = openEvent;
    if (e != null) {
      parts.events().fire(Listeners.Kind.PING, e, ClientListener::onPing);
    }
  }

  @Override
  public void onPong() {
    pinger.pong();
    OpenEvent e = openEvent;
    if (e != null) {
      parts.events().fire(Listeners.Kind.PONG, e, ClientListener::onPong);
    }
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    synchronized (eventOrder) {
      // Nothing to do but wait: a frame sent just before the close has its events fired first.
      log.trace("[{}] closed {}", identity(), code);
    }
    owner.closed(this, code, reason, remote);
  }

  @Override
  public void onConnectFailed(
      WebSocketTransport.Failure failure, int httpStatus, String message, Throwable cause) {
    owner.connectFailed(this, failure, httpStatus, message, cause);
  }

  @Override
  public void onError(Throwable error) {
    owner.error(this, error);
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  @Override
  public String toString() {
    return "Session{" + identity() + ", " + url + "}";
  }
}
