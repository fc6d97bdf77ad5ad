package dev.ocppj.client.internal.codec;

/**
 * Thrown by {@link RpcCodec#decode(String)} for text that is not a well-formed OCPP-J message.
 * It keeps what could be read, so the session can answer per OCPP-J: the message type number
 * (or -1) and the message id (or null when there is none that could be echoed back).
 */
public final class MalformedFrameException extends Exception {
  /** Which rule the text broke; decides the answer. */
  public enum Kind {
    /** Not parseable as JSON. */
    NOT_JSON,
    /** JSON, but not an array. */
    NOT_ARRAY,
    /** The first element is missing or not an integer. */
    BAD_MESSAGE_TYPE,
    /** An integer message type number that OCPP-J does not define. */
    UNKNOWN_MESSAGE_TYPE,
    /** The message id is missing, not a string, empty, or longer than 36 characters. */
    BAD_MESSAGE_ID,
    /** A known message type with a readable id, but wrong length or element types. */
    BAD_STRUCTURE
  }

  private final Kind kind;
  private final int messageType;
  private final String messageId;

  MalformedFrameException(Kind kind, int messageType, String messageId, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.messageType = messageType;
    this.messageId = messageId;
  }

  /** Which rule the text broke. */
  public Kind kind() {
    return kind;
  }

  /** The message type number, or -1 if it could not be read. */
  public int messageType() {
    return messageType;
  }

  /** The message id, or null if it could not be read or is not valid to echo back. */
  public String messageId() {
    return messageId;
  }
}
