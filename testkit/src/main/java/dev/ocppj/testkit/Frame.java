package dev.ocppj.testkit;

import tools.jackson.databind.JsonNode;

/**
 * One text frame the test CSMS received from or sent to a charge point, with readers for the
 * parts of an OCPP-J message.
 *
 * @param direction whether the charge point sent it ({@code FROM_CHARGE_POINT}) or the CSMS did
 * @param chargePoint the connection it travelled on
 * @param text the frame's text, exactly as it went over the wire
 * @param array the parsed JSON, or null if the text is not JSON
 */
public record Frame(Direction direction, ChargePoint chargePoint, String text, JsonNode array) {
  /** Which way a frame travelled. */
  public enum Direction {
    /** Sent by the charge point, received by the CSMS. */
    FROM_CHARGE_POINT,
    /** Sent by the CSMS. */
    TO_CHARGE_POINT
  }

  /** The message type number (2 CALL, 3 CALLRESULT, 4 CALLERROR, ...), or -1 if unreadable. */
  public int messageType() {
    return array != null && array.isArray() && array.path(0).isInt() ? array.get(0).intValue() : -1;
  }

  /** The message id, or null if unreadable. */
  public String messageId() {
    return array == null ? null : array.path(1).asString(null);
  }

  /** The action of a CALL or SEND; null for other messages. */
  public String action() {
    int t = messageType();
    return t == 2 || t == 6 ? array.path(2).asString(null) : null;
  }

  /** The CALL params, the CALLRESULT payload, or the CALLERROR details. */
  public JsonNode payload() {
    return switch (messageType()) {
      case 2, 6 -> array.get(3);
      case 3 -> array.get(2);
      case 4, 5 -> array.get(4);
      default -> null;
    };
  }

  /** The error code of a CALLERROR; null for other messages. */
  public String errorCode() {
    int t = messageType();
    return t == 4 || t == 5 ? array.path(2).asString(null) : null;
  }

  /** The description of a CALLERROR; null for other messages. */
  public String errorDescription() {
    int t = messageType();
    return t == 4 || t == 5 ? array.path(3).asString(null) : null;
  }

  /** True for a CALL of {@code action}. */
  public boolean isCall(String action) {
    return messageType() == 2 && action.equals(action());
  }

  @Override
  public String toString() {
    return (direction == Direction.FROM_CHARGE_POINT ? "CP -> CSMS " : "CSMS -> CP ") + text;
  }
}
