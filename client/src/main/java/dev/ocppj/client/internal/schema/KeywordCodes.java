package dev.ocppj.client.internal.schema;

import dev.ocppj.client.rpc.RpcErrorCode;

/** Which OCPP error code a violated JSON schema keyword means, as OCPP-J and ocpp-ws-io map it. */
final class KeywordCodes {
  private KeywordCodes() {}

  static RpcErrorCode codeFor(String keyword) {
    if (keyword == null) {
      return RpcErrorCode.FORMAT_VIOLATION;
    }
    return switch (keyword) {
      case "type" -> RpcErrorCode.TYPE_CONSTRAINT_VIOLATION;
      case "required", "minItems", "maxItems", "minProperties", "maxProperties",
          "additionalProperties", "additionalItems", "dependencies", "uniqueItems" ->
          RpcErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION;
      case "enum", "const" -> RpcErrorCode.PROPERTY_CONSTRAINT_VIOLATION;
      // maxLength, minLength, pattern, format, minimum, maximum, multipleOf, ...
      default -> RpcErrorCode.FORMAT_VIOLATION;
    };
  }
}
