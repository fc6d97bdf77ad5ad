package dev.ocppj.client.rpc;

/**
 * The connection closed while a call was in flight, so the peer may or may not have processed it.
 * Carries the WebSocket close code and reason.
 */
public final class ConnectionClosedException extends OcppException {
  private final String action;
  private final String messageId;
  private final int code;
  private final String reason;

  /** Creates the exception for the call {@code action} with id {@code messageId}. */
  public ConnectionClosedException(String action, String messageId, int code, String reason) {
    super(
        action + " (id " + messageId + ") failed: connection closed with code " + code
            + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")
            + " before an answer arrived",
        null);
    this.action = action;
    this.messageId = messageId;
    this.code = code;
    this.reason = reason == null ? "" : reason;
  }

  /** The action of the call that was in flight. */
  public String action() {
    return action;
  }

  /** The message id of the call that was in flight. */
  public String messageId() {
    return messageId;
  }

  /** The WebSocket close code, for example 1006 when the TCP connection dropped. */
  public int code() {
    return code;
  }

  /** The WebSocket close reason; empty if none. */
  public String reason() {
    return reason;
  }
}
