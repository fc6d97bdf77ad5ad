package dev.ocppj.client.internal.lifecycle;

import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.rpc.ConnectFailedException;

/** The words of a final close: its event, and why the calls it fails were not sent. */
final class CloseReasons {
  /** The {@code why} of a cycle that ends because reconnecting is off. */
  static final String RECONNECT_OFF = "reconnect is off";

  private CloseReasons() {}

  /**
   * The final close event of a cycle that ends without close(), after a drop ({@code dropped})
   * or a failed attempt ({@code error}); {@code why} says why no attempt follows.
   */
  static CloseEvent finalEvent(String why, CloseEvent dropped, ConnectFailedException error) {
    boolean off = why.equals(RECONNECT_OFF);
    if (dropped != null) {
      String reason =
          "the connection closed with code " + dropped.code()
              + (dropped.reason().isEmpty() ? "" : " (" + dropped.reason() + ")")
              + (off ? "" : "; " + why.replaceAll(": $", ""));
      return off ? dropped : new CloseEvent(dropped.code(), reason, dropped.remote());
    }
    String message = error == null ? why : off ? error.getMessage() : why + error.getMessage();
    return new CloseEvent(1006, message, true);
  }

  /**
   * Why calls still pending at the final close were not sent: the user closed, the first
   * connect failed ({@code firstConnectError}), or the connection closed.
   */
  static String why(CloseEvent event, boolean userClosed, Throwable firstConnectError) {
    if (userClosed) {
      return "the client was closed";
    }
    if (firstConnectError != null) {
      return firstConnectError.getMessage();
    }
    return event.reason().startsWith("the connection closed") || event.reason().startsWith("reconnect")
        ? event.reason()
        : "the connection closed with code " + event.code()
            + (event.reason().isEmpty() ? "" : " (" + event.reason() + ")");
  }
}
