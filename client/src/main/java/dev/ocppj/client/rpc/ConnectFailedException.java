package dev.ocppj.client.rpc;

import java.net.URI;
import java.util.OptionalInt;

/**
 * A connect attempt failed before the connection opened: the TCP or TLS connect failed or timed
 * out, the server answered the WebSocket upgrade with a status other than 101, or it accepted
 * the upgrade without selecting one of the offered OCPP subprotocols.
 */
public final class ConnectFailedException extends OcppException {
  private final URI url;
  private final int httpStatus;

  /**
   * Creates the exception. {@code httpStatus} is the upgrade answer's status code, or -1 when the
   * failure happened before or without an HTTP answer.
   */
  public ConnectFailedException(URI url, int httpStatus, String message, Throwable cause) {
    super("connect to " + url + " failed: " + message, cause);
    this.url = url;
    this.httpStatus = httpStatus;
  }

  /** The URL the client tried to connect to. */
  public URI url() {
    return url;
  }

  /** The HTTP status of the server's non-101 answer to the upgrade request, if there was one. */
  public OptionalInt httpStatus() {
    return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }
}
