package dev.ocppj.client.internal.codec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks that a generated message carries every property its schema requires, nested objects and
 * lists included. Jackson only enforces {@code required} for creator properties, and a missing
 * required property must not reach a typed handler as null: it is the peer's occurrence
 * violation, answered as such whether strict mode is on or not.
 */
final class RequiredProperties {
  private static final String GENERATED = "dev.ocppj.client.v";

  /** A field to check: required, or one that may hold generated objects to look into. */
  private record Check(Field field, String name, boolean required, boolean nested) {}

  private static final ClassValue<List<Check>> CHECKS =
      new ClassValue<>() {
        @Override
        protected List<Check> computeValue(Class<?> type) {
          List<Check> checks = new ArrayList<>();
          for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
              continue;
            }
            JsonProperty p = f.getAnnotation(JsonProperty.class);
            if (p == null) {
              continue;
            }
            boolean nested = isGenerated(f.getType()) || Collection.class.isAssignableFrom(f.getType());
            if (p.required() || nested) {
              f.setAccessible(true);
              checks.add(new Check(f, p.value(), p.required(), nested));
            }
          }
          return List.copyOf(checks);
        }
      };

  private RequiredProperties() {}

  static boolean isGenerated(Class<?> type) {
    return type.getName().startsWith(GENERATED) && !type.isEnum();
  }

  /**
   * The path of the first required property missing from {@code value} (for example {@code
   * chargingStation.model}), or null if none is.
   */
  static String firstMissing(Object value) {
    if (value == null || !isGenerated(value.getClass())) {
      return null;
    }
    return missing(value, "");
  }

  private static String missing(Object value, String prefix) {
    for (Check c : CHECKS.get(value.getClass())) {
      Object v;
      try {
        v = c.field().get(value);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      String path = prefix + c.name();
      if (v == null) {
        if (c.required()) {
          return path;
        }
        continue;
      }
      if (v instanceof Collection<?> list) {
        int i = 0;
        for (Object item : list) {
          if (item != null && isGenerated(item.getClass())) {
            String m = missing(item, path + "[" + i + "].");
            if (m != null) {
              return m;
            }
          }
          i++;
        }
      } else if (isGenerated(v.getClass())) {
        String m = missing(v, path + ".");
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }
}
