package dev.ocppj.client.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.OcppAction;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.v16.Ocpp16;
import dev.ocppj.client.v201.Ocpp201;
import dev.ocppj.client.v21.Ocpp21;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every message of every version: a sample built from the generated class serialises to JSON
 * its OCA schema accepts, and reads back equal. Each message twice: with every property set, and
 * with only the required ones.
 */
class SchemaRoundTripTest {
  /** The committed schemas; the build passes their folder (tests run in the module's folder). */
  static final Path SCHEMAS = Path.of(System.getProperty("schemas.dir", "../schemas"));

  private static final Map<OcppVersion, List<OcppAction<?, ?>>> ACTIONS =
      Map.of(
          OcppVersion.V1_6, Ocpp16.ACTIONS,
          OcppVersion.V2_0_1, Ocpp201.ACTIONS,
          OcppVersion.V2_1, Ocpp21.ACTIONS);

  static Stream<Arguments> messages() {
    List<Arguments> all = new ArrayList<>();
    for (OcppVersion v : OcppVersion.values()) {
      for (OcppAction<?, ?> a : ACTIONS.get(v)) {
        for (boolean full : new boolean[] {true, false}) {
          all.add(Arguments.of(v, a.name(), Role.REQUEST, a.requestType(), full));
          if (!a.isSend()) {
            all.add(Arguments.of(v, a.name(), Role.RESPONSE, a.responseType(), full));
          }
        }
      }
    }
    return all.stream();
  }

  @Test
  void everySchemaHasAMessageClass() throws Exception {
    assertThat(Ocpp16.ACTIONS).hasSize(28 + 11);
    assertThat(Ocpp201.ACTIONS).hasSize(64);
    assertThat(Ocpp21.ACTIONS).hasSize(91);
    long schemas;
    try (Stream<Path> files = Stream.of("v16", "v16-security", "v201", "v21").flatMap(MessageFiles::list)) {
      schemas = files.count();
    }
    // One test per schema file and per variant (full, required-only).
    assertThat(messages().count()).isEqualTo(2 * schemas).isEqualTo(2L * (56 + 22 + 128 + 181));
  }

  @ParameterizedTest(name = "{0} {1} {2} full={4}")
  @MethodSource("messages")
  void aSampleSerialisesToValidJsonAndReadsBackEqual(
      OcppVersion version, String action, Role role, Class<?> type, boolean full) throws Exception {
    JsonNode schema = schemaFile(version, action, role);
    Object sample = MessageSamples.sample(type, schema, full);

    String text = RpcCodec.mapper().writeValueAsString(sample);
    JsonNode json = RpcCodec.mapper().readTree(text);
    SchemaValidator validator = SchemaValidator.forVersion(version);
    assertThat(validator.hasSchema(action, role)).as("the validator knows %s %s", action, role).isTrue();
    assertThat(validator.validate(action, role, json))
        .as("%s is valid: %s", type.getSimpleName(), text)
        .isEmpty();
    if (full) {
      // Every property the schema names was written: nothing set was dropped.
      for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
        assertThat(json.has(p.getKey())).as("%s has %s", text, p.getKey()).isTrue();
      }
    }
    Object back = RpcCodec.mapper().readValue(text, type);
    assertThat(back).isEqualTo(sample);
    assertThat(back.hashCode()).isEqualTo(sample.hashCode());
    assertThat((JsonNode) RpcCodec.mapper().valueToTree(back)).isEqualTo(json);
  }

  /** The schema file, by each version's naming, from the committed schemas. */
  static JsonNode schemaFile(OcppVersion version, String action, Role role) {
    String suffix = role == Role.RESPONSE ? "Response" : "";
    List<Path> candidates =
        switch (version) {
          case V1_6 -> List.of(
              SCHEMAS.resolve("v16").resolve(action + suffix + ".json"),
              SCHEMAS.resolve("v16-security").resolve(action + suffix + ".json"));
          case V2_0_1 -> List.of(
              SCHEMAS.resolve("v201").resolve(action + (role == Role.RESPONSE ? "Response" : "Request") + ".json"));
          case V2_1 -> List.of(
              SCHEMAS.resolve("v21").resolve(action + (role == Role.RESPONSE ? "Response" : "Request") + ".json"),
              SCHEMAS.resolve("v21").resolve(action + ".json"));
        };
    for (Path p : candidates) {
      if (Files.exists(p)) {
        return RpcCodec.mapper().readTree(p.toFile());
      }
    }
    throw new AssertionError("no schema for " + version + " " + action + " " + role);
  }

  /** The committed schema files of one folder. */
  static final class MessageFiles {
    private MessageFiles() {}

    static Stream<Path> list(String folder) {
      try {
        return Files.list(SCHEMAS.resolve(folder)).filter(p -> p.toString().endsWith(".json")).toList().stream();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
