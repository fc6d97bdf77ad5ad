package dev.ocppj.client;

/**
 * A connection closed.
 *
 * @param code the WebSocket close code: the peer's, or 1006 when the connection dropped without
 *     a close frame
 * @param reason the close reason; empty if none
 * @param remote true if the peer closed or the connection dropped, false if this client closed
 */
public record CloseEvent(int code, String reason, boolean remote) {
  public CloseEvent {
    reason = reason == null ? "" : reason;
  }
}
