package dev.ocppj.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer the test CSMS gives to a CALL nobody scripted: for every action of every version, a
 * response its OCA schema accepts, built from that schema (required properties only, an
 * enumeration's {@code Accepted} where it has one), with sensible values where a charge point
 * looks: BootNotification accepted with a 300 s interval, the current time, a fresh transaction
 * id. Vendor actions get {@code {}}.
 */
final class DefaultAnswers {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Schemas are read once per JVM; absent ones are remembered as empty.
  private static final Map<String, Optional<JsonNode>> SCHEMAS = new ConcurrentHashMap<>();

  private final AtomicInteger transactionIds = new AtomicInteger();

  /** The answer to {@code action} with {@code request} on a connection speaking {@code protocol}. */
  ObjectNode answer(String protocol, String action, JsonNode request) {
    ObjectNode answer =
        responseSchema(protocol, action)
            .map(s -> (ObjectNode) minimal(s, s.path("definitions")))
            .orElseGet(NODES::objectNode);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    switch (action) {
      case "BootNotification" -> answer.put("status", "Accepted").put("currentTime", now).put("interval", 300);
      case "Heartbeat" -> answer.put("currentTime", now);
      case "StartTransaction" -> answer.put("transactionId", transactionIds.incrementAndGet());
      default -> {}
    }
    return answer;
  }

  /** The response schema of {@code action} in {@code protocol}, from the bundled OCA schemas. */
  static Optional<JsonNode> responseSchema(String protocol, String action) {
    List<String> files =
        switch (protocol) {
          case "ocpp1.6" -> List.of("v16/" + action + "Response.json", "v16-security/" + action + "Response.json");
          case "ocpp2.0.1" -> List.of("v201/" + action + "Response.json");
          case "ocpp2.1" -> List.of("v21/" + action + "Response.json");
          default -> List.of();
        };
    for (String file : files) {
      Optional<JsonNode> s = SCHEMAS.computeIfAbsent(file, DefaultAnswers::read);
      if (s.isPresent()) {
        return s;
      }
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> read(String file) {
    try (InputStream in = DefaultAnswers.class.getResourceAsStream("/dev/ocppj/testkit/schemas/" + file)) {
      return in == null ? Optional.empty() : Optional.of(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled schema " + file, e);
    }
  }

  /** The smallest instance {@code schema} accepts, choosing agreeable values. */
  private static JsonNode minimal(JsonNode schema, JsonNode definitions) {
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asString().substring("#/definitions/".length());
      return minimal(definitions.get(name), definitions);
    }
    if (schema.has("enum")) {
      for (JsonNode v : schema.get("enum")) {
        if (v.asString().equals("Accepted")) {
          return v;
        }
      }
      return schema.get("enum").get(0);
    }
    String type = schema.path("type").asString("object");
    switch (type) {
      case "object" -> {
        ObjectNode o = NODES.objectNode();
        JsonNode properties = schema.path("properties");
        for (JsonNode r : schema.path("required")) {
          o.set(r.asString(), minimal(properties.get(r.asString()), definitions));
        }
        return o;
      }
      case "array" -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = 0; i < Math.max(1, schema.path("minItems").asInt(1)); i++) {
          a.add(minimal(schema.path("items"), definitions));
        }
        return a;
      }
      case "string" -> {
        if ("date-time".equals(schema.path("format").asString(null))) {
          return NODES.stringNode(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return NODES.stringNode("");
      }
      case "integer" -> {
        return NODES.numberNode(schema.has("minimum") ? (long) Math.ceil(schema.get("minimum").asDouble()) : 0L);
      }
      case "number" -> {
        return NODES.numberNode(schema.has("minimum") ? schema.get("minimum").asDouble() : 0.0);
      }
      case "boolean" -> {
        return NODES.booleanNode(false);
      }
      default -> throw new IllegalStateException("unsupported schema type " + type);
    }
  }
}
