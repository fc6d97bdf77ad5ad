package dev.ocppj.client.internal.session;

import dev.ocppj.client.MessageEvent;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.internal.transport.WebSocketTransport;
import dev.ocppj.client.internal.transport.WebSocketTransport.Connection;
import dev.ocppj.client.rpc.Direction;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connect attempt and, if it opens, that connection: what the session knows about it and
 * the transport listener that feeds its events to the session. A link is never reused; events
 * from a link that is no longer the session's current one are ignored.
 */
final class Link implements WebSocketTransport.Listener {
  private static final Logger log = LoggerFactory.getLogger(Link.class);

  final Session session;
  final URI url;
  /** Message ids of CALLs from the CSMS still being handled on this connection. */
  final Set<String> inboundInProgress = ConcurrentHashMap.newKeySet();

  /**
   * Orders the message events: a frame's OUT event is queued while it is sent, so the IN event of
   * its answer, which cannot arrive before the send, is never reported first.
   */
  private final Object eventOrder = new Object();
  private Connection connection; // guarded by this
  private boolean abortRequested; // guarded by this
  volatile OcppVersion version;
  volatile boolean timedOut;
  /** Set, under the session lock, once the transport reported this link's end. */
  boolean ended;
  /** Set once open: what the open event said, for the ping events. */
  volatile OpenEvent openEvent;
  final Pinger pinger;
  // Guarded by the session lock.
  ScheduledFuture<?> connectTimer;
  ScheduledFuture<?> closeTimer;
  // Read thread only.
  int consecutiveBadMessages;

  Link(Session session, URI url) {
    this.session = session;
    this.url = url;
    this.pinger = new Pinger(session, this);
  }

  /** Records the attempt's connection; aborts it at once if {@link #abort()} came first. */
  void attach(Connection c) {
    boolean abort;
    synchronized (this) {
      if (connection == null) {
        connection = c;
      }
      abort = abortRequested;
    }
    if (abort) {
      c.abort();
    }
  }

  /** Drops the connection, or cancels the attempt, without a close handshake. */
  void abort() {
    Connection c;
    synchronized (this) {
      c = connection;
      abortRequested = true;
    }
    if (c != null) {
      c.abort();
    }
  }

  /** Sends a WebSocket ping; false if the connection is gone. */
  boolean ping() {
    Connection c;
    synchronized (this) {
      c = connection;
    }
    return c != null && c.ping();
  }

  /** Starts the close handshake. */
  void close(int code, String reason) {
    Connection c;
    synchronized (this) {
      c = connection;
    }
    if (c != null) {
      c.close(code, reason);
    }
  }

  /** Sends a frame on this connection and reports it; false if the connection is gone. */
  boolean send(String text) {
    Connection c;
    synchronized (this) {
      c = connection;
    }
    if (c == null) {
      log.debug("[{}] not sent, connection closed: {}", session.identity(), text);
      return false;
    }
    if (!session.listeners().wants(Listeners.Kind.MESSAGE)) {
      return sendOn(c, text); // nobody to report to: no ordering to keep
    }
    synchronized (eventOrder) {
      if (!sendOn(c, text)) {
        return false;
      }
      session.listeners().fire(
          Listeners.Kind.MESSAGE, new MessageEvent(Direction.OUT, text), (l, e) -> l.onMessage(e));
    }
    return true;
  }

  private boolean sendOn(Connection c, String text) {
    if (!c.send(text)) {
      log.debug("[{}] not sent, connection closed: {}", session.identity(), text);
      return false;
    }
    return true;
  }

  /** Reports a received frame, after the events of every frame sent before it arrived. */
  void reportReceived(String text) {
    if (!session.listeners().wants(Listeners.Kind.MESSAGE)) {
      return;
    }
    synchronized (eventOrder) {
      session.listeners().fire(
          Listeners.Kind.MESSAGE, new MessageEvent(Direction.IN, text), (l, e) -> l.onMessage(e));
    }
  }

  @Override
  public void onOpen(Connection c, String subprotocol, Map<String, String> headers) {
    attach(c);
    session.opened(this, subprotocol, headers);
  }

  @Override
  public void onText(String text) {
    pinger.activity();
    session.inbound().onText(this, text);
  }

  @Override
  public void onPing() {
    pinger.activity();
    session.linkPinged(this);
  }

  @Override
  public void onPong() {
    pinger.pong();
    session.linkPonged(this);
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    session.closed(this, code, reason, remote);
  }

  @Override
  public void onConnectFailed(
      WebSocketTransport.Failure failure, int httpStatus, String message, Throwable cause) {
    session.connectFailed(this, failure, httpStatus, message, cause);
  }

  @Override
  public void onError(Throwable error) {
    session.linkError(this, error);
  }
}
