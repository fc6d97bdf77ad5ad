package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.internal.schema.SchemaValidator;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.v16.Ocpp16;
import dev.ocppj.client.v201.Ocpp201;
import dev.ocppj.client.v21.Ocpp21;
import dev.ocppj.testkit.TestCsms;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The test kit's default answer to every action of every version is valid under its schema. */
class TestCsmsDefaultsTest {
  static Stream<Arguments> actions() {
    List<Arguments> all = new ArrayList<>();
    for (OcppAction<?, ?> a : Ocpp16.ACTIONS) {
      all.add(Arguments.of(OcppVersion.V1_6, a.name()));
    }
    for (OcppAction<?, ?> a : Ocpp201.ACTIONS) {
      all.add(Arguments.of(OcppVersion.V2_0_1, a.name()));
    }
    for (OcppAction<?, ?> a : Ocpp21.ACTIONS) {
      if (!a.isSend()) {
        all.add(Arguments.of(OcppVersion.V2_1, a.name()));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("actions")
  void theDefaultAnswerIsSchemaValid(OcppVersion version, String action) {
    JsonNode answer =
        TestCsms.defaultAnswer(version.subprotocol(), action, JsonNodeFactory.instance.objectNode());
    assertThat(SchemaValidator.forVersion(version).validate(action, Role.RESPONSE, answer))
        .as("%s %s default answer %s", version, action, answer)
        .isEmpty();
  }
}
