package dev.ocppj.client.rpc;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * An OCPP-J CALLERROR: a code, a description and a details object.
 *
 * <p>There is one subclass per code, so callers can catch exactly the errors they handle, for
 * example {@code catch (RpcException.NotImplemented e)}. A handler throws one to answer a call
 * with that CALLERROR; a call's future fails with one when the peer answers with a CALLERROR
 * ({@link #isRemote()}). A code that is in no OCPP-J table arrives as {@link Unrecognized},
 * with its text kept verbatim in {@link #wireCode()}.
 */
public abstract sealed class RpcException extends OcppException
    permits RpcException.GenericError,
        RpcException.NotImplemented,
        RpcException.NotSupported,
        RpcException.InternalError,
        RpcException.ProtocolError,
        RpcException.SecurityError,
        RpcException.FormatViolation,
        RpcException.PropertyConstraintViolation,
        RpcException.OccurrenceConstraintViolation,
        RpcException.TypeConstraintViolation,
        RpcException.MessageTypeNotSupported,
        RpcException.RpcFrameworkError,
        RpcException.Unrecognized {

  private static final int MAX_DESCRIPTION = 255;

  private final RpcErrorCode code;
  private final String wireCode;
  private final String description;
  private final JsonNode details;
  private final boolean remote;

  RpcException(
      RpcErrorCode code,
      String wireCode,
      String description,
      JsonNode details,
      boolean remote,
      String context) {
    super(message(wireCode, description, context), null);
    this.code = code;
    this.wireCode = Objects.requireNonNull(wireCode, "wireCode");
    this.description = description == null ? "" : description;
    this.details = details == null || details.isNull() || details.isMissingNode()
        ? JsonNodeFactory.instance.objectNode()
        : details;
    this.remote = remote;
  }

  private static String message(String wireCode, String description, String context) {
    String base = description == null || description.isEmpty() ? wireCode : wireCode + ": " + description;
    return context == null ? base : context + " " + base;
  }

  /**
   * Creates the error for {@code code}, with the matching subclass, for example {@link
   * NotImplemented} for {@link RpcErrorCode#NOT_IMPLEMENTED}.
   */
  public static RpcException of(RpcErrorCode code, String description, JsonNode details) {
    Objects.requireNonNull(code, "code");
    return switch (code) {
      case GENERIC_ERROR -> new GenericError(description, details);
      case NOT_IMPLEMENTED -> new NotImplemented(description, details);
      case NOT_SUPPORTED -> new NotSupported(description, details);
      case INTERNAL_ERROR -> new InternalError(description, details);
      case PROTOCOL_ERROR -> new ProtocolError(description, details);
      case SECURITY_ERROR -> new SecurityError(description, details);
      case FORMAT_VIOLATION -> new FormatViolation(description, details);
      case PROPERTY_CONSTRAINT_VIOLATION -> new PropertyConstraintViolation(description, details);
      case OCCURRENCE_CONSTRAINT_VIOLATION -> new OccurrenceConstraintViolation(description, details);
      case TYPE_CONSTRAINT_VIOLATION -> new TypeConstraintViolation(description, details);
      case MESSAGE_TYPE_NOT_SUPPORTED -> new MessageTypeNotSupported(description, details);
      case RPC_FRAMEWORK_ERROR -> new RpcFrameworkError(description, details);
    };
  }

  /**
   * Creates the error that a received CALLERROR describes, keeping its code's spelling; a code
   * that is in no OCPP-J table gives {@link Unrecognized}. {@code context} (may be null) prefixes
   * the message, for example {@code "BootNotification (id 7) answered with CALLERROR"}.
   */
  public static RpcException fromWire(
      String wireCode, String description, JsonNode details, String context) {
    Objects.requireNonNull(wireCode, "wireCode");
    RpcErrorCode code = RpcErrorCode.fromWire(wireCode);
    if (code == null) {
      return new Unrecognized(wireCode, description, details, context);
    }
    return switch (code) {
      case GENERIC_ERROR -> new GenericError(wireCode, description, details, context);
      case NOT_IMPLEMENTED -> new NotImplemented(wireCode, description, details, context);
      case NOT_SUPPORTED -> new NotSupported(wireCode, description, details, context);
      case INTERNAL_ERROR -> new InternalError(wireCode, description, details, context);
      case PROTOCOL_ERROR -> new ProtocolError(wireCode, description, details, context);
      case SECURITY_ERROR -> new SecurityError(wireCode, description, details, context);
      case FORMAT_VIOLATION -> new FormatViolation(wireCode, description, details, context);
      case PROPERTY_CONSTRAINT_VIOLATION -> new PropertyConstraintViolation(wireCode, description, details, context);
      case OCCURRENCE_CONSTRAINT_VIOLATION -> new OccurrenceConstraintViolation(wireCode, description, details, context);
      case TYPE_CONSTRAINT_VIOLATION -> new TypeConstraintViolation(wireCode, description, details, context);
      case MESSAGE_TYPE_NOT_SUPPORTED -> new MessageTypeNotSupported(wireCode, description, details, context);
      case RPC_FRAMEWORK_ERROR -> new RpcFrameworkError(wireCode, description, details, context);
    };
  }

  /** The code, or empty for an {@link Unrecognized} code. */
  public Optional<RpcErrorCode> code() {
    return Optional.ofNullable(code);
  }

  /** The code exactly as received, or for a local error its 2.x spelling. */
  public String wireCode() {
    return wireCode;
  }

  /** The description; empty if none. */
  public String description() {
    return description;
  }

  /**
   * The description as it may go on the wire: at most 255 characters, as OCPP-J requires.
   */
  public String wireDescription() {
    return description.length() <= MAX_DESCRIPTION ? description : description.substring(0, MAX_DESCRIPTION);
  }

  /** The details object; an empty object if none were given. */
  public JsonNode details() {
    return details;
  }

  /** True if the peer sent this error as a CALLERROR; false if it was created locally. */
  public boolean isRemote() {
    return remote;
  }

  /** Any other error: the receiver could not process the call. */
  public static final class GenericError extends RpcException {
    /** Creates the error with a description and empty details. */
    public GenericError(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public GenericError(String description, JsonNode details) {
      super(RpcErrorCode.GENERIC_ERROR, RpcErrorCode.GENERIC_ERROR.wireName(), description, details, false, null);
    }

    GenericError(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.GENERIC_ERROR, wireCode, description, details, true, context);
    }
  }

  /** The receiver does not know the action. */
  public static final class NotImplemented extends RpcException {
    /** Creates the error with a description and empty details. */
    public NotImplemented(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public NotImplemented(String description, JsonNode details) {
      super(RpcErrorCode.NOT_IMPLEMENTED, RpcErrorCode.NOT_IMPLEMENTED.wireName(), description, details, false, null);
    }

    NotImplemented(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.NOT_IMPLEMENTED, wireCode, description, details, true, context);
    }
  }

  /** The receiver recognises the action but does not support it. */
  public static final class NotSupported extends RpcException {
    /** Creates the error with a description and empty details. */
    public NotSupported(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public NotSupported(String description, JsonNode details) {
      super(RpcErrorCode.NOT_SUPPORTED, RpcErrorCode.NOT_SUPPORTED.wireName(), description, details, false, null);
    }

    NotSupported(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.NOT_SUPPORTED, wireCode, description, details, true, context);
    }
  }

  /** The receiver failed internally while processing the call. */
  public static final class InternalError extends RpcException {
    /** Creates the error with a description and empty details. */
    public InternalError(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public InternalError(String description, JsonNode details) {
      super(RpcErrorCode.INTERNAL_ERROR, RpcErrorCode.INTERNAL_ERROR.wireName(), description, details, false, null);
    }

    InternalError(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.INTERNAL_ERROR, wireCode, description, details, true, context);
    }
  }

  /** The payload is incomplete or does not conform to the PDU structure. */
  public static final class ProtocolError extends RpcException {
    /** Creates the error with a description and empty details. */
    public ProtocolError(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public ProtocolError(String description, JsonNode details) {
      super(RpcErrorCode.PROTOCOL_ERROR, RpcErrorCode.PROTOCOL_ERROR.wireName(), description, details, false, null);
    }

    ProtocolError(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.PROTOCOL_ERROR, wireCode, description, details, true, context);
    }
  }

  /** A security issue prevented the receiver from processing the call. */
  public static final class SecurityError extends RpcException {
    /** Creates the error with a description and empty details. */
    public SecurityError(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public SecurityError(String description, JsonNode details) {
      super(RpcErrorCode.SECURITY_ERROR, RpcErrorCode.SECURITY_ERROR.wireName(), description, details, false, null);
    }

    SecurityError(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.SECURITY_ERROR, wireCode, description, details, true, context);
    }
  }

  /** The payload is syntactically incorrect (1.6 spells it {@code FormationViolation}). */
  public static final class FormatViolation extends RpcException {
    /** Creates the error with a description and empty details. */
    public FormatViolation(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public FormatViolation(String description, JsonNode details) {
      super(RpcErrorCode.FORMAT_VIOLATION, RpcErrorCode.FORMAT_VIOLATION.wireName(), description, details, false, null);
    }

    FormatViolation(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.FORMAT_VIOLATION, wireCode, description, details, true, context);
    }
  }

  /** A field holds a value that its constraints forbid. */
  public static final class PropertyConstraintViolation extends RpcException {
    /** Creates the error with a description and empty details. */
    public PropertyConstraintViolation(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public PropertyConstraintViolation(String description, JsonNode details) {
      super(RpcErrorCode.PROPERTY_CONSTRAINT_VIOLATION, RpcErrorCode.PROPERTY_CONSTRAINT_VIOLATION.wireName(), description, details, false, null);
    }

    PropertyConstraintViolation(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.PROPERTY_CONSTRAINT_VIOLATION, wireCode, description, details, true, context);
    }
  }

  /** A field occurs too often or too rarely (1.6 spells it {@code OccurenceConstraintViolation}). */
  public static final class OccurrenceConstraintViolation extends RpcException {
    /** Creates the error with a description and empty details. */
    public OccurrenceConstraintViolation(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public OccurrenceConstraintViolation(String description, JsonNode details) {
      super(RpcErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION, RpcErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION.wireName(), description, details, false, null);
    }

    OccurrenceConstraintViolation(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION, wireCode, description, details, true, context);
    }
  }

  /** A field has the wrong data type. */
  public static final class TypeConstraintViolation extends RpcException {
    /** Creates the error with a description and empty details. */
    public TypeConstraintViolation(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public TypeConstraintViolation(String description, JsonNode details) {
      super(RpcErrorCode.TYPE_CONSTRAINT_VIOLATION, RpcErrorCode.TYPE_CONSTRAINT_VIOLATION.wireName(), description, details, false, null);
    }

    TypeConstraintViolation(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.TYPE_CONSTRAINT_VIOLATION, wireCode, description, details, true, context);
    }
  }

  /** The message type number is not supported (2.0.1 and later). */
  public static final class MessageTypeNotSupported extends RpcException {
    /** Creates the error with a description and empty details. */
    public MessageTypeNotSupported(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public MessageTypeNotSupported(String description, JsonNode details) {
      super(RpcErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, RpcErrorCode.MESSAGE_TYPE_NOT_SUPPORTED.wireName(), description, details, false, null);
    }

    MessageTypeNotSupported(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, wireCode, description, details, true, context);
    }
  }

  /** The message is not a valid RPC request (2.0.1 and later). */
  public static final class RpcFrameworkError extends RpcException {
    /** Creates the error with a description and empty details. */
    public RpcFrameworkError(String description) {
      this(description, null);
    }

    /** Creates the error with a description and details (an object; null means {@code {}}). */
    public RpcFrameworkError(String description, JsonNode details) {
      super(RpcErrorCode.RPC_FRAMEWORK_ERROR, RpcErrorCode.RPC_FRAMEWORK_ERROR.wireName(), description, details, false, null);
    }

    RpcFrameworkError(String wireCode, String description, JsonNode details, String context) {
      super(RpcErrorCode.RPC_FRAMEWORK_ERROR, wireCode, description, details, true, context);
    }
  }

  /** A CALLERROR whose code is in no OCPP-J table; {@link #wireCode()} keeps it verbatim. */
  public static final class Unrecognized extends RpcException {
    Unrecognized(String wireCode, String description, JsonNode details, String context) {
      super(null, wireCode, description, details, true, context);
    }
  }
}
