package dev.ocppj.client.internal.codec;

import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Turns user objects into the JSON objects OCPP payloads must be. */
public final class Payloads {
  private Payloads() {}

  /**
   * {@code value} as a JSON object: a {@code JsonNode} as is, anything else through Jackson; null
   * is the empty object.
   *
   * @throws IllegalArgumentException if it does not serialise to a JSON object
   */
  public static JsonNode toObject(Object value, Supplier<String> what) {
    if (value == null) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode node;
    if (value instanceof JsonNode n) {
      node = n;
    } else {
      try {
        node = RpcCodec.mapper().valueToTree(value);
      } catch (JacksonException e) {
        throw new IllegalArgumentException(
            what.get() + " cannot be serialised to JSON: " + e.getOriginalMessage(), e);
      }
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          what.get() + " must be a JSON object, was "
              + (node == null ? "null" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
    }
    return node;
  }
}
