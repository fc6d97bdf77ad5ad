package dev.ocppj.client.internal.codec;

import dev.ocppj.client.internal.codec.MalformedFrameException.Kind;
import dev.ocppj.client.rpc.RpcException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Turns OCPP-J message text into {@link Frame}s and back.
 *
 * <p>Decoding is strict and version-agnostic: it checks the array shape of each message type and
 * reports what it could read in a {@link MalformedFrameException}; which answer a malformed
 * message gets depends on the negotiated version and is decided by the caller. Stateless and thread-safe.
 */
public final class RpcCodec {
  /** Message type number of a CALL. */
  public static final int CALL = 2;
  /** Message type number of a CALLRESULT. */
  public static final int CALLRESULT = 3;
  /** Message type number of a CALLERROR. */
  public static final int CALLERROR = 4;
  /** Message type number of an OCPP 2.1 CALLRESULTERROR. */
  public static final int CALLRESULTERROR = 5;
  /** Message type number of an OCPP 2.1 SEND. */
  public static final int SEND = 6;

  /** OCPP-J: a message id is a string of at most 36 characters. */
  public static final int MAX_MESSAGE_ID_LENGTH = 36;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  // Thread-safe and shared: mappers cache serializers, so one per JVM is the cheap choice.
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          // A timestamp keeps the offset it was sent with, so a message reads back equal.
          .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          // Unknown fields are strict mode's business; typed reads ignore them.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RpcCodec() {}

  /** The mapper that turns payload objects into JSON trees and back. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /**
   * Decodes one message.
   *
   * @throws MalformedFrameException if the text is not a well-formed OCPP-J message of a type
   *     number from 2 to 6; whether types 5 and 6 are acceptable is the caller's decision
   */
  public static Frame decode(String text) throws MalformedFrameException {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new MalformedFrameException(
          Kind.NOT_JSON, -1, null, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedFrameException(Kind.NOT_JSON, -1, null, "not valid JSON: empty message");
    }
    if (!root.isArray()) {
      throw new MalformedFrameException(
          Kind.NOT_ARRAY, -1, null, "not a JSON array but " + nodeType(root));
    }
    JsonNode typeNode = root.get(0);
    String id = readableId(root.get(1));
    if (typeNode == null || !typeNode.isIntegralNumber() || !typeNode.canConvertToInt()) {
      throw new MalformedFrameException(
          Kind.BAD_MESSAGE_TYPE,
          -1,
          id,
          "message type number must be an integer, was " + nodeType(typeNode));
    }
    int type = typeNode.intValue();
    if (type < CALL || type > SEND) {
      throw new MalformedFrameException(
          Kind.UNKNOWN_MESSAGE_TYPE, type, id, "unknown message type number " + type);
    }
    if (id == null) {
      JsonNode idNode = root.get(1);
      String why =
          idNode == null || !idNode.isString()
              ? "must be a string, was " + nodeType(idNode)
              : idNode.stringValue().isEmpty()
                  ? "must not be empty"
                  : "must be at most " + MAX_MESSAGE_ID_LENGTH + " characters, was "
                      + idNode.stringValue().length();
      throw new MalformedFrameException(Kind.BAD_MESSAGE_ID, type, null, "message id " + why);
    }
    return switch (type) {
      case CALL, SEND -> {
        expectSize(root, 4, type, id);
        JsonNode action = root.get(2);
        if (!action.isString() || action.stringValue().isEmpty()) {
          throw structure(type, id, "action must be a non-empty string, was " + nodeType(action));
        }
        JsonNode params = root.get(3);
        expectObject(params, type, id, "payload");
        yield type == CALL
            ? new Frame.Call(id, action.stringValue(), params)
            : new Frame.Send(id, action.stringValue(), params);
      }
      case CALLRESULT -> {
        expectSize(root, 3, type, id);
        JsonNode payload = root.get(2);
        expectObject(payload, type, id, "payload");
        yield new Frame.CallResult(id, payload);
      }
      default -> {
        expectSize(root, 5, type, id);
        JsonNode code = root.get(2);
        JsonNode description = root.get(3);
        JsonNode details = root.get(4);
        if (!code.isString()) {
          throw structure(type, id, "error code must be a string, was " + nodeType(code));
        }
        if (!description.isString()) {
          throw structure(
              type, id, "error description must be a string, was " + nodeType(description));
        }
        expectObject(details, type, id, "error details");
        yield type == CALLERROR
            ? new Frame.CallError(id, code.stringValue(), description.stringValue(), details)
            : new Frame.CallResultError(
                id, code.stringValue(), description.stringValue(), details);
      }
    };
  }

  /**
   * Reads a payload into {@code type}.
   *
   * @throws RpcException the CALLERROR a payload that does not fit deserves: an unknown
   *     enumeration value is a PropertyConstraintViolation, a malformed timestamp a
   *     FormatViolation, a value of the wrong JSON type a TypeConstraintViolation, a required
   *     property that is missing (or null) an OccurrenceConstraintViolation
   */
  public static <T> T read(JsonNode payload, Class<T> type, String what) {
    T value;
    try {
      value = MAPPER.treeToValue(payload, type);
    } catch (JacksonException e) {
      String message = what + " does not fit " + type.getSimpleName() + ": " + e.getOriginalMessage();
      // A value of the wrong JSON type is a type violation; a value of the right type that is
      // not allowed (an unknown enumeration value, a malformed timestamp) is not.
      if (e instanceof MismatchedInputException && !(e instanceof InvalidFormatException)) {
        throw new RpcException.TypeConstraintViolation(message);
      }
      Class<?> target = targetOf(e);
      if (target != null && target.isEnum()) {
        throw new RpcException.PropertyConstraintViolation(message);
      }
      if (e instanceof InvalidFormatException && target != null && Number.class.isAssignableFrom(target)) {
        throw new RpcException.TypeConstraintViolation(message);
      }
      throw new RpcException.FormatViolation(message);
    }
    String missing = RequiredProperties.firstMissing(value);
    if (missing != null) {
      throw new RpcException.OccurrenceConstraintViolation(
          what + " does not fit " + type.getSimpleName() + ": the required property " + missing + " is missing");
    }
    return value;
  }

  /** The Java type a failed read was producing, where the exception says. */
  private static Class<?> targetOf(JacksonException e) {
    if (e instanceof MismatchedInputException m) {
      return m.getTargetType();
    }
    if (e instanceof ValueInstantiationException v && v.getType() != null) {
      return v.getType().getRawClass();
    }
    return null;
  }

  /** Encodes a CALL or SEND (by {@code messageType}) with the given params object. */
  public static String encodeCall(int messageType, String messageId, String action, JsonNode params) {
    ArrayNode a = NODES.arrayNode(4);
    a.add(messageType).add(messageId).add(action).add(params);
    return MAPPER.writeValueAsString(a);
  }

  /** Encodes a CALLRESULT. */
  public static String encodeResult(String messageId, JsonNode payload) {
    ArrayNode a = NODES.arrayNode(3);
    a.add(CALLRESULT).add(messageId).add(payload);
    return MAPPER.writeValueAsString(a);
  }

  /** Encodes a CALLERROR or CALLRESULTERROR (by {@code messageType}). */
  public static String encodeError(
      int messageType, String messageId, String code, String description, JsonNode details) {
    ArrayNode a = NODES.arrayNode(5);
    a.add(messageType).add(messageId).add(code).add(description).add(details);
    return MAPPER.writeValueAsString(a);
  }

  /** The id if {@code node} is a usable message id, else null. */
  private static String readableId(JsonNode node) {
    if (node == null || !node.isString()) {
      return null;
    }
    String id = node.stringValue();
    return id.isEmpty() || id.length() > MAX_MESSAGE_ID_LENGTH ? null : id;
  }

  private static void expectSize(JsonNode root, int size, int type, String id)
      throws MalformedFrameException {
    if (root.size() != size) {
      throw structure(
          type,
          id,
          typeName(type) + " must have " + size + " elements, had " + root.size());
    }
  }

  private static void expectObject(JsonNode node, int type, String id, String what)
      throws MalformedFrameException {
    if (!node.isObject()) {
      throw structure(type, id, what + " must be a JSON object, was " + nodeType(node));
    }
  }

  private static MalformedFrameException structure(int type, String id, String message) {
    return new MalformedFrameException(Kind.BAD_STRUCTURE, type, id, message);
  }

  /** The OCPP-J name of a message type number. */
  public static String typeName(int type) {
    return switch (type) {
      case CALL -> "CALL";
      case CALLRESULT -> "CALLRESULT";
      case CALLERROR -> "CALLERROR";
      case CALLRESULTERROR -> "CALLRESULTERROR";
      case SEND -> "SEND";
      default -> "message type " + type;
    };
  }

  private static String nodeType(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
