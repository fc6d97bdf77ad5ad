package dev.ocppj.client.rpc;

import dev.ocppj.client.OcppVersion;

/**
 * The OCPP-J CALLERROR codes, with each version's wire spelling.
 *
 * <p>This enum is the only place that knows spellings: OCPP 1.6 writes {@code FormationViolation}
 * and {@code OccurenceConstraintViolation} (the 1.6 errata keep that spelling), 2.0.1 and 2.1
 * write {@code FormatViolation} and {@code OccurrenceConstraintViolation}. {@code
 * MessageTypeNotSupported} and {@code RpcFrameworkError} exist only from 2.0.1 on.
 */
public enum RpcErrorCode {
  /** Any other error not covered by the more specific codes. */
  GENERIC_ERROR("GenericError", "GenericError"),
  /** The requested action is not known by the receiver. */
  NOT_IMPLEMENTED("NotImplemented", "NotImplemented"),
  /** The requested action is recognised but not supported by the receiver. */
  NOT_SUPPORTED("NotSupported", "NotSupported"),
  /** An internal error occurred and the receiver could not process the action. */
  INTERNAL_ERROR("InternalError", "InternalError"),
  /** The payload for the action is incomplete (1.6) or does not conform to the PDU structure. */
  PROTOCOL_ERROR("ProtocolError", "ProtocolError"),
  /** A security issue prevented the receiver from completing the action. */
  SECURITY_ERROR("SecurityError", "SecurityError"),
  /** The payload is syntactically incorrect: 1.6 {@code FormationViolation}, 2.x {@code FormatViolation}. */
  FORMAT_VIOLATION("FormationViolation", "FormatViolation"),
  /** A field contains an invalid value, for example a value outside its enumeration. */
  PROPERTY_CONSTRAINT_VIOLATION("PropertyConstraintViolation", "PropertyConstraintViolation"),
  /** A field violates its occurrence constraints, for example a missing required field. */
  OCCURRENCE_CONSTRAINT_VIOLATION("OccurenceConstraintViolation", "OccurrenceConstraintViolation"),
  /** A field violates its data type constraints, for example a string where an integer belongs. */
  TYPE_CONSTRAINT_VIOLATION("TypeConstraintViolation", "TypeConstraintViolation"),
  /** A message type number that the receiver does not support (2.0.1 and later only). */
  MESSAGE_TYPE_NOT_SUPPORTED(null, "MessageTypeNotSupported"),
  /** The message is not a valid RPC request, for example its id cannot be read (2.0.1 and later only). */
  RPC_FRAMEWORK_ERROR(null, "RpcFrameworkError");

  private final String v16;
  private final String v2x;

  RpcErrorCode(String v16, String v2x) {
    this.v16 = v16;
    this.v2x = v2x;
  }

  /** True if {@code version}'s error table has this code. */
  public boolean existsIn(OcppVersion version) {
    return version != OcppVersion.V1_6 || v16 != null;
  }

  /**
   * The code to send under {@code version}: this code, or for the two codes that OCPP 1.6 lacks,
   * the closest 1.6 code, {@link #FORMAT_VIOLATION} ({@code FormationViolation}: "syntactically
   * incorrect or not conform the PDU structure"), which is also what ocpp-ws-io sends there.
   */
  public RpcErrorCode sendableIn(OcppVersion version) {
    return existsIn(version) ? this : FORMAT_VIOLATION;
  }

  /** The spelling {@code version} uses on the wire, after {@link #sendableIn(OcppVersion)}. */
  public String wireName(OcppVersion version) {
    RpcErrorCode code = sendableIn(version);
    return version == OcppVersion.V1_6 ? code.v16 : code.v2x;
  }

  /** The spelling used when no version is known: the 2.x spelling. */
  public String wireName() {
    return v2x;
  }

  /**
   * The code that {@code text} spells, accepting the spellings of every version; null for a code
   * that is in no OCPP-J table, which callers keep verbatim.
   */
  public static RpcErrorCode fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (RpcErrorCode code : values()) {
      if (text.equals(code.v2x) || text.equals(code.v16)) {
        return code;
      }
    }
    return null;
  }
}
