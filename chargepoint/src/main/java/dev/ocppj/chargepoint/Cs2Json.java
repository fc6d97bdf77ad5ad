package dev.ocppj.chargepoint;

import dev.ocppj.client.rpc.RpcException;
import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON helpers shared by the Cs2 classes: building payloads (objects, arrays, status answers
 * with statusInfo, RFC 3339 timestamps, IdTokenType), and reading request fields with the
 * CALLERROR a schema check would give when one is missing or of the wrong type. They are
 * stateless and station-independent, so they live apart from {@link ChargingStation}, which
 * keeps only the station's state and its public entry points.
 */
final class Cs2Json extends StationJson {
  private Cs2Json() {}

  /** {@code {"status": s, "statusInfo": {"reasonCode": reason}}}. */
  static ObjectNode status(String status, String reasonCode, String info) {
    ObjectNode o = status(status);
    ObjectNode si = o.putObject("statusInfo").put("reasonCode", reasonCode);
    if (info != null) {
      si.put("additionalInfo", info.length() > 1024 ? info.substring(0, 1024) : info);
    }
    return o;
  }

  /** Now as RFC 3339 with seconds always written (OffsetDateTime.toString drops ":00"). */
  static String timestamp() {
    return timestamp(AbstractStation.now());
  }

  static String timestamp(OffsetDateTime t) {
    return time(t);
  }

  static String round(double v) {
    return Double.toString(Math.round(v * 10) / 10.0);
  }

  static JsonNode requireObject(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field " + field);
    }
    if (!v.isObject() && !v.isArray()) {
      throw new RpcException.TypeConstraintViolation(field + " must be an object: " + v);
    }
    return v;
  }

  /** An IdTokenType from a request; CALLERROR when it lacks its fields. */
  static IdToken token(JsonNode idToken) {
    String value = requireText(idToken, "idToken");
    String type = requireText(idToken, "type");
    if (value.length() > 36) {
      return new IdToken(value.substring(0, 36), type);
    }
    return new IdToken(value, type);
  }

  static ObjectNode idToken(IdToken t) {
    return object().put("idToken", t.value()).put("type", t.type());
  }
}
