package dev.ocppj.client.rpc;

/**
 * An inbound frame that the client cannot use: not JSON, not an OCPP-J message array, or a message
 * whose parts have the wrong types. Reported to {@code badMessage} listeners with the raw text, and
 * used to fail a call whose answer was malformed.
 */
public final class BadMessageException extends OcppException {
  private final String rawMessage;

  /** Creates the exception; {@code rawMessage} is the frame's text as received. */
  public BadMessageException(String message, String rawMessage) {
    super(message, null);
    this.rawMessage = rawMessage;
  }

  /** The frame's text as received. */
  public String rawMessage() {
    return rawMessage;
  }
}
