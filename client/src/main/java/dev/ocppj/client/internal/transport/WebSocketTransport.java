package dev.ocppj.client.internal.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The WebSocket underneath a client, behind an interface of our own so that the rest of the
 * client never sees the library that implements it.
 *
 * <p>Each {@link #connect} is one attempt with one {@link Connection}; a connection is never
 * reused. A connection calls its {@link Listener} from the transport's own thread: the listener
 * must return quickly and must not throw.
 */
public interface WebSocketTransport {

  /** The transport on Java-WebSocket: two threads (read, write) per open connection. */
  static WebSocketTransport javaWebSocket() {
    return JavaWebSocketTransport.INSTANCE;
  }

  /** The transport on Netty: one shared event-loop group, about one thread per core. */
  static WebSocketTransport netty() {
    return NettyTransport.INSTANCE;
  }

  /** Starts a connect attempt and returns at once; the outcome arrives at {@code listener}. */
  Connection connect(ConnectRequest request, Listener listener);

  /**
   * What to connect to.
   *
   * @param url the full URL, identity and query included
   * @param subprotocols the subprotocols to offer, most preferred first; the server must select
   *     one of them, or the attempt fails
   * @param headers extra handshake headers
   * @param connectTimeout the TCP connect timeout
   * @param sslContext the TLS context for wss://, or null for the JVM's default
   * @param hostnameVerification check that the server's certificate names the host
   * @param maxMessageSize the largest inbound message, in bytes, whole or in fragments; a larger
   *     one closes the connection with 1009 before its payload is buffered
   * @param maxOutboundBytes the most bytes of frames that may wait to be written; past it the
   *     connection is dropped (the peer is not reading)
   */
  record ConnectRequest(
      URI url,
      List<String> subprotocols,
      Map<String, String> headers,
      Duration connectTimeout,
      SSLContext sslContext,
      boolean hostnameVerification,
      int maxMessageSize,
      long maxOutboundBytes) {}

  /** Why a connect attempt failed, for deciding whether another attempt can succeed. */
  enum Failure {
    /** TCP could not connect, or the connection dropped during the handshake. */
    NETWORK,
    /** The server answered the upgrade with another HTTP status. */
    HTTP_STATUS,
    /** The server selected no subprotocol, or one that was not offered. */
    SUBPROTOCOL,
    /** The TLS handshake failed: a certificate was rejected, on either side. */
    TLS,
    /** The client aborted the attempt. */
    ABORTED,
    /** The attempt could not start here: no thread, a TLS context that cannot be used. */
    LOCAL
  }

  /** One connection attempt and, once open, the connection. Thread-safe. */
  interface Connection {
    /**
     * Queues a text frame; returns false if the connection is not open (the frame is dropped).
     * If the frames waiting to be written would exceed {@code maxOutboundBytes}, the connection
     * is dropped instead and closes with a reason that says so.
     */
    boolean send(String text);

    /**
     * Stops reading from the socket after the current message (TCP backpressure); the peer
     * stalls once the socket buffers fill. Idempotent.
     */
    void pauseReading();

    /** Reads again after {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /** Sends a WebSocket ping; returns false if the connection is not open. */
    boolean ping();

    /** Starts the close handshake with {@code code} and {@code reason}. */
    void close(int code, String reason);

    /** Drops the TCP connection without a close handshake; also aborts a pending connect. */
    void abort();
  }

  /** Receives a connection's events, each on the transport's thread. */
  interface Listener {
    /**
     * The upgrade succeeded and the server selected {@code subprotocol}, one of those offered.
     * {@code connection} is the one {@link #connect} returned (it may not have returned yet).
     */
    void onOpen(Connection connection, String subprotocol, Map<String, String> responseHeaders);

    /** A text frame arrived. Called on the connection's one reading thread, in order. */
    void onText(String text);

    /**
     * A binary frame (or message) of {@code bytes} bytes arrived; OCPP-J uses text frames only, so
     * its content is not passed on.
     */
    void onBinary(int bytes);

    /** A ping arrived (the transport has answered it with a pong). */
    void onPing();

    /** A pong arrived. */
    void onPong();

    /** The open connection closed; called once, after {@link #onOpen}. */
    void onClose(int code, String reason, boolean remote);

    /**
     * The attempt failed before the connection opened; called once, instead of {@link #onOpen}
     * and {@link #onClose}.
     *
     * @param failure what kind of failure
     * @param httpStatus the status of a non-101 answer to the upgrade, or -1
     * @param message what failed, for the user
     * @param cause the underlying exception, or null
     */
    void onConnectFailed(Failure failure, int httpStatus, String message, Throwable cause);

    /**
     * An error on the open connection, such as a message over {@code maxMessageSize}; a close
     * follows.
     */
    void onError(Throwable error);
  }
}
