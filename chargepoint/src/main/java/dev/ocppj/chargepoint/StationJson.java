package dev.ocppj.chargepoint;

import dev.ocppj.client.rpc.RpcException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading and writing payloads, for both versions' stations. Incoming payloads are not
 * schema-checked unless the client is strict, so a missing or mistyped required field is
 * answered with the CALLERROR the specs name for it (OccurrenceConstraintViolation,
 * TypeConstraintViolation, spelled per version by the client). {@link Cs2Json} adds the 2.x
 * shapes (statusInfo, IdTokenType).
 */
class StationJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  StationJson() {} // static helpers; extended only so that Cs2Json's callers reach them

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** {@code {"status": status}}, the answer of most operations. */
  static ObjectNode status(String status) {
    return object().put("status", status);
  }

  /** OCPP's date-time: UTC with seconds always written (OffsetDateTime.toString drops ":00"). */
  static String time(OffsetDateTime t) {
    return t.toInstant().toString();
  }

  static JsonNode require(JsonNode p, String name) {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field " + name);
    }
    return v;
  }

  static int requireInt(JsonNode p, String name) {
    JsonNode v = require(p, name);
    if (!v.isIntegralNumber()) {
      throw new RpcException.TypeConstraintViolation(name + " must be an integer: " + v);
    }
    if (!v.canConvertToInt()) { // Jackson 3's asInt() throws past 32 bits; the schemas' integers are 32-bit
      throw new RpcException.TypeConstraintViolation(name + " must be a 32-bit integer: " + v);
    }
    return v.asInt();
  }

  /** An optional integer field, or {@code fallback}. */
  static Integer optInt(JsonNode p, String name, Integer fallback) {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber()) {
      throw new RpcException.TypeConstraintViolation(name + " must be an integer: " + v);
    }
    if (!v.canConvertToInt()) { // Jackson 3's asInt() throws past 32 bits; the schemas' integers are 32-bit
      throw new RpcException.TypeConstraintViolation(name + " must be a 32-bit integer: " + v);
    }
    return v.asInt();
  }

  static String requireText(JsonNode p, String name) {
    JsonNode v = require(p, name);
    if (!v.isString()) {
      throw new RpcException.TypeConstraintViolation(name + " must be a string: " + v);
    }
    return v.asString();
  }

  /** An optional string field, or null. */
  static String optText(JsonNode p, String name) {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new RpcException.TypeConstraintViolation(name + " must be a string: " + v);
    }
    return v.asString();
  }

  /** {@code text} as one of {@code allowed}, or a PropertyConstraintViolation. */
  static String oneOf(String name, String text, String... allowed) {
    for (String a : allowed) {
      if (a.equals(text)) {
        return text;
      }
    }
    throw new RpcException.PropertyConstraintViolation(name + " must be one of " + String.join(", ", allowed) + ": " + text);
  }

  static OffsetDateTime requireTime(JsonNode p, String name) {
    return parseTime(name, requireText(p, name));
  }

  /** An optional date-time field, or null. */
  static OffsetDateTime optTime(JsonNode p, String name) {
    String text = optText(p, name);
    return text == null ? null : parseTime(name, text);
  }

  private static OffsetDateTime parseTime(String name, String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new RpcException.FormatViolation(name + " is not a date-time: " + text);
    }
  }
}
