package dev.ocppj.client.internal.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Builds sample messages from the generated classes: every property (or only the required ones)
 * set through the class's own fields, each value chosen to satisfy the constraints its schema
 * states. The classes are the source of the sample; the schema only says what is valid.
 */
final class MessageSamples {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode definitions;
  private final boolean full;

  private MessageSamples(JsonNode definitions, boolean full) {
    this.definitions = definitions;
    this.full = full;
  }

  /** A sample of {@code type}, the class generated from {@code schema} (a whole schema file). */
  static Object sample(Class<?> type, JsonNode schema, boolean full) {
    return new MessageSamples(schema.path("definitions"), full).object(type, schema);
  }

  private Object object(Class<?> type, JsonNode schema) {
    try {
      Object o = type.getConstructor().newInstance();
      Set<String> required = new HashSet<>();
      schema.path("required").forEach(r -> required.add(r.asString()));
      for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
        if (!full && !required.contains(p.getKey())) {
          continue;
        }
        Field f = field(type, p.getKey());
        f.setAccessible(true);
        f.set(o, value(f.getGenericType(), resolve(p.getValue())));
      }
      if (full) {
        addVendorData(type, o);
      }
      return o;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build " + type.getName(), e);
    }
  }

  /** Open types (customData above all) carry a property the schema does not name. */
  private static void addVendorData(Class<?> type, Object o) throws ReflectiveOperationException {
    for (Method m : type.getMethods()) {
      if (m.getName().equals("additionalProperty")) {
        m.invoke(o, "vendorExtension", NODES.objectNode().put("level", 3).put("note", "kept"));
      }
    }
  }

  private static Field field(Class<?> type, String jsonName) {
    for (Field f : type.getDeclaredFields()) {
      JsonProperty p = f.getAnnotation(JsonProperty.class);
      if (p != null && p.value().equals(jsonName)) {
        return f;
      }
    }
    throw new AssertionError(type.getName() + " has no field for property " + jsonName);
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode ref = schema.get("$ref");
    if (ref == null) {
      return schema;
    }
    String name = ref.asString().substring("#/definitions/".length());
    return definitions.get(name);
  }

  private Object value(Type javaType, JsonNode schema) {
    if (javaType instanceof ParameterizedType p && p.getRawType() == List.class) {
      int n = Math.max(1, schema.path("minItems").asInt(1));
      if (full && schema.path("maxItems").asInt(Integer.MAX_VALUE) >= 2) {
        n = Math.max(n, 2);
      }
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        list.add(value(p.getActualTypeArguments()[0], resolve(schema.path("items"))));
      }
      return list;
    }
    Class<?> c = (Class<?>) javaType;
    if (c == String.class) {
      int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
      String s = "uri".equals(schema.path("format").asString(null)) ? "http://a.example/x" : "sample";
      return s.substring(0, Math.min(s.length(), max));
    }
    if (c == Integer.class) {
      return (int) number(schema, false);
    }
    if (c == Double.class) {
      return number(schema, true);
    }
    if (c == Boolean.class) {
      return Boolean.TRUE;
    }
    if (c == OffsetDateTime.class) {
      // A non-UTC offset: the round trip must keep it.
      return OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2));
    }
    if (c == JsonNode.class) {
      return NODES.objectNode().put("any", "value");
    }
    if (c.isEnum()) {
      Object[] constants = c.getEnumConstants();
      return constants[constants.length / 2];
    }
    return object(c, schema);
  }

  /** A number inside [minimum, maximum], on the multipleOf grid, away from the edges. */
  private static double number(JsonNode schema, boolean fractional) {
    double lo = schema.has("minimum") ? schema.get("minimum").asDouble() : 0;
    double hi = schema.has("maximum") ? schema.get("maximum").asDouble() : lo + 10;
    if (!fractional) {
      return Math.floor(lo + (hi - lo) / 2);
    }
    double step = schema.has("multipleOf") ? schema.get("multipleOf").asDouble() : 0.5;
    double v = lo + (hi - lo) / 4;
    return BigDecimal.valueOf(Math.round(v / step))
        .multiply(BigDecimal.valueOf(step))
        .setScale(3, RoundingMode.HALF_UP)
        .doubleValue();
  }
}
