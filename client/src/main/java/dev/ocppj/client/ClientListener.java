package dev.ocppj.client;

import dev.ocppj.client.rpc.IncomingCall;
import java.net.URI;

/**
 * Receives a client's events. Every method has a no-op default, so implement only what you need.
 *
 * <p>Threading: events of one client are delivered one at a time, in the order they happened, on
 * the callback executor, never on the connection's read thread. A listener that throws is logged
 * at WARN and the others still run. Events are only prepared for methods that some registered
 * listener overrides, so an unused {@link #onMessage(MessageEvent)} costs nothing.
 */
public interface ClientListener {
  /** A connect attempt starts, to {@code url}. */
  default void onConnecting(URI url) {}

  /** The connection opened and the server selected an OCPP version. */
  default void onOpen(OpenEvent event) {}

  /** The connection closed without {@code close()} asking for it (the peer closed, or it dropped). */
  default void onDisconnect(CloseEvent event) {}

  /**
   * The client is closed for good: by {@code close()}, after a disconnect it does not repair, or
   * when it gave up reconnecting (the reason says why).
   */
  default void onClose(CloseEvent event) {}

  /** A reconnect attempt is scheduled; a connecting event follows when it starts. */
  default void onReconnect(ReconnectEvent event) {}

  /** A connect attempt failed, or the connection failed; a close event follows where one applies. */
  default void onError(Throwable error) {}

  /** A text frame was sent or received (every frame, both ways). */
  default void onMessage(MessageEvent event) {}

  /** A CALL from the CSMS arrived; its handler runs separately. */
  default void onCall(IncomingCall call) {}

  /** A CALLRESULT was received for this client's call, or sent by a handler. */
  default void onCallResult(ResultEvent event) {}

  /** A CALLERROR was received for this client's call, or sent by this client. */
  default void onCallError(CallErrorEvent event) {}

  /** The server sent a frame the client cannot use. */
  default void onBadMessage(BadMessageEvent event) {}

  /** Strict mode rejected a payload (see {@link ValidationFailureEvent}). */
  default void onStrictValidationFailure(ValidationFailureEvent event) {}

  /** The CSMS sent a WebSocket ping (the client has answered it). */
  default void onPing(OpenEvent connection) {}

  /** A pong answered the client's ping. */
  default void onPong(OpenEvent connection) {}

  /**
   * No pong came within {@code pongTimeout}: the client drops the connection as dead, and
   * reconnects if it is set to.
   */
  default void onPongTimeout(OpenEvent connection) {}
}
