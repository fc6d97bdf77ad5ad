package dev.ocppj.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How {@link OcppClient#close(CloseOptions)} closes the connection.
 *
 * @param code the WebSocket close code to send: 1000-1003, 1007-1014 or 3000-4999
 * @param reason the close reason, at most 123 bytes of UTF-8
 * @param awaitPending wait for calls already sent to be answered or time out before closing
 * @param force drop the TCP connection without a close handshake
 */
public record CloseOptions(int code, String reason, boolean awaitPending, boolean force) {
  /** The close code for a normal closure. */
  public static final int NORMAL = 1000;

  private static final CloseOptions DEFAULTS = new CloseOptions(NORMAL, "", true, false);

  public CloseOptions {
    Objects.requireNonNull(reason, "reason");
    if (!isSendable(code)) {
      throw new IllegalArgumentException(
          "close code " + code + " may not be sent; use 1000-1003, 1007-1014 or 3000-4999");
    }
    if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
      throw new IllegalArgumentException(
          "close reason must be at most 123 bytes of UTF-8: " + reason);
    }
  }

  /** Code 1000, no reason, await pending calls, with a close handshake (the ocpp-ws-io default). */
  public static CloseOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with another code and reason. */
  public CloseOptions withCode(int code, String reason) {
    return new CloseOptions(code, reason, awaitPending, force);
  }

  /** A copy that does or does not wait for in-flight calls. */
  public CloseOptions withAwaitPending(boolean awaitPending) {
    return new CloseOptions(code, reason, awaitPending, force);
  }

  /** A copy that does or does not drop the connection without a close handshake. */
  public CloseOptions withForce(boolean force) {
    return new CloseOptions(code, reason, awaitPending, force);
  }

  /** True for the codes RFC 6455 lets an endpoint send in a close frame. */
  static boolean isSendable(int code) {
    // 1004 is reserved, 1005/1006/1015 must never be sent, 1016-2999 are unassigned,
    // 3000-3999 are registered for libraries and 4000-4999 are private use.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }
}
