package dev.ocppj.client.internal.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.PathType;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.rpc.RpcErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Validates OCPP payloads against the OCA JSON schemas (strict mode), with networknt
 * json-schema-validator.
 *
 * <p>One validator per version for the whole JVM, created on first use; each message schema is
 * read and compiled the first time a payload of it is validated, and then shared by every
 * client. Thread-safe.
 */
public final class SchemaValidator {
  /** Which message of an action a payload is. */
  public enum Role {
    /** The CALL params (or a SEND message). */
    REQUEST,
    /** The CALLRESULT payload. */
    RESPONSE
  }

  /**
   * Why a payload is invalid: the first violated rule.
   *
   * @param code the OCPP error code the violated keyword maps to
   * @param pointer the JSON pointer of the offending value ({@code ""} for the payload itself)
   * @param keyword the violated JSON schema keyword, for example {@code maxLength}
   * @param message the validator's message
   * @param schema the schema file, for example {@code v16/BootNotification.json}
   */
  public record Violation(
      RpcErrorCode code, String pointer, String keyword, String message, String schema) {
    /** One line for errors and logs: where, which rule, what the validator said. */
    public String describe() {
      return (pointer.isEmpty() ? "(payload)" : pointer) + ": " + message + " [" + keyword
          + " in " + schema + "]";
    }
  }

  private static final Map<OcppVersion, SchemaValidator> VALIDATORS =
      new EnumMap<>(OcppVersion.class);

  private final OcppVersion version;
  private final SchemaRegistry registry;
  // Absent schemas are cached too, as Optional.empty().
  private final Map<String, Optional<Compiled>> schemas = new ConcurrentHashMap<>();

  private record Compiled(String file, Schema schema) {}

  private SchemaValidator(OcppVersion version) {
    this.version = version;
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder()
            .pathType(PathType.JSON_POINTER)
            // The OCA schemas use "format": "date-time"; older drafts only annotate formats.
            .formatAssertionsEnabled(true)
            .build();
    // The OCA files carry two keywords of their own, which validate nothing.
    List<Dialect> dialects = new ArrayList<>();
    for (Dialect standard : List.of(Dialects.getDraft6(), Dialects.getDraft4())) {
      dialects.add(
          Dialect.builder(standard)
              .keyword(new NonValidationKeyword("comment"))
              .keyword(new NonValidationKeyword("javaType"))
              .build());
    }
    this.registry = SchemaRegistry.withDialects(dialects, b -> b.schemaRegistryConfig(config));
  }

  /** The validator for {@code version}, shared by the whole JVM. */
  public static SchemaValidator forVersion(OcppVersion version) {
    synchronized (VALIDATORS) {
      return VALIDATORS.computeIfAbsent(version, SchemaValidator::new);
    }
  }

  /** True if the schemas define {@code action}'s message in {@code role}. */
  public boolean hasSchema(String action, Role role) {
    return compiled(action, role).isPresent();
  }

  /**
   * Validates {@code payload} as {@code action}'s message in {@code role}.
   *
   * @return the first violation, or empty if the payload is valid or the action has no schema
   *     (a vendor action)
   */
  public Optional<Violation> validate(String action, Role role, JsonNode payload) {
    Optional<Compiled> c = compiled(action, role);
    if (c.isEmpty()) {
      return Optional.empty();
    }
    if (!payload.isObject()) {
      return Optional.of(
          new Violation(
              RpcErrorCode.FORMAT_VIOLATION, "", "type", "payload must be a JSON object", c.get().file()));
    }
    List<Error> errors = c.get().schema().validate(payload);
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    Error first = errors.get(0);
    String pointer = first.getInstanceLocation().toString();
    // These keywords report on the object; the pointer names the property.
    if (first.getProperty() != null
        && ("required".equals(first.getKeyword())
            || "additionalProperties".equals(first.getKeyword()))) {
      pointer = pointer + "/" + first.getProperty();
    }
    return Optional.of(
        new Violation(
            KeywordCodes.codeFor(first.getKeyword()),
            pointer,
            first.getKeyword(),
            first.getMessage(),
            c.get().file()));
  }

  private Optional<Compiled> compiled(String action, Role role) {
    return schemas.computeIfAbsent(role + " " + action, k -> load(action, role));
  }

  private Optional<Compiled> load(String action, Role role) {
    for (String file : candidates(action, role)) {
      try (InputStream in = SchemaValidator.class.getResourceAsStream("/dev/ocppj/client/schemas/" + file)) {
        if (in == null) {
          continue;
        }
        JsonNode node = RpcCodec.mapper().readTree(in);
        return Optional.of(new Compiled(file, registry.getSchema(node)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema " + file, e);
      }
    }
    return Optional.empty();
  }

  /** Where {@code action}'s message in {@code role} is, by the file naming of each version's set. */
  private List<String> candidates(String action, Role role) {
    String suffix = role == Role.RESPONSE ? "Response" : "";
    return switch (version) {
      case V1_6 -> List.of("v16/" + action + suffix + ".json", "v16-security/" + action + suffix + ".json");
      case V2_0_1 -> List.of("v201/" + action + (role == Role.RESPONSE ? "Response" : "Request") + ".json");
      case V2_1 ->
          role == Role.RESPONSE
              ? List.of("v21/" + action + "Response.json")
              : List.of("v21/" + action + "Request.json", "v21/" + action + ".json");
    };
  }
}
