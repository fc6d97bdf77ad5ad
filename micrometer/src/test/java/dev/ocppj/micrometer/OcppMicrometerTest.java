package dev.ocppj.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.ClientMetrics;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.testkit.TestCsms;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Micrometer binding against a real CSMS: meters and observations, with numbers. */
class OcppMicrometerTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  final TestCsms csms = TestCsms.start();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<OcppClient> clients = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    for (OcppClient c : clients) {
      c.close(CloseOptions.defaults().withForce(true));
    }
    csms.close();
  }

  OcppClient connected(String identity, ClientMetrics metrics, UnaryOperator<OcppClient.Builder> config) {
    OcppClient c =
        config.apply(OcppClient.builder(csms.endpoint(), identity).protocols(OcppVersion.V1_6).metrics(metrics)).build();
    clients.add(c);
    get(c.connect());
    return c;
  }

  static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void settle(CompletableFuture<?> f) {
    try {
      f.handle((v, e) -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  Timer calls(String action, String outcome, String errorCode) {
    return registry.find("ocpp.client.calls")
        .tags("action", action, "direction", "out", "outcome", outcome, "error.code", errorCode, "version", "ocpp1.6")
        .timer();
  }

  @Test
  void callsAreTimedWithTheirTags() {
    OcppClient c = connected("CP1", OcppMicrometer.builder(registry).build(), b -> b);
    for (int i = 0; i < 3; i++) {
      get(c.call("Heartbeat", Map.of()));
    }
    for (int i = 0; i < 2; i++) {
      get(c.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M")));
    }

    await().atMost(WAIT).until(() -> calls("BootNotification", "result", "none") != null
        && calls("BootNotification", "result", "none").count() == 2
        && calls("Heartbeat", "result", "none").count() == 3);
    assertThat(registry.find("ocpp.client.calls").timers()).hasSize(2);
    Timer queued = registry.find("ocpp.client.calls.queued")
        .tags("action", "Heartbeat", "direction", "out", "outcome", "result", "version", "ocpp1.6").timer();
    assertThat(queued.count()).isEqualTo(3);
    assertThat(calls("Heartbeat", "result", "none").totalTime(TimeUnit.NANOSECONDS))
        .isGreaterThanOrEqualTo(queued.totalTime(TimeUnit.NANOSECONDS));
  }

  @Test
  void anErrorAnswerIsTaggedWithItsCode() {
    csms.answerError("Heartbeat", "NotSupported", "no", null);
    OcppClient c = connected("CP1", OcppMicrometer.builder(registry).build(), b -> b);

    settle(c.call("Heartbeat", Map.of()));

    await().atMost(WAIT).until(() -> calls("Heartbeat", "error", "NotSupported") != null);
    assertThat(calls("Heartbeat", "error", "NotSupported").count()).isEqualTo(1);
  }

  @Test
  void vendorActionsAreTaggedVendorUnlessOptedIn() {
    csms.answer("AcmeReport", req -> Map.of());
    OcppClient plain = connected("CP1", OcppMicrometer.builder(registry).build(), b -> b);
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    OcppClient named = connected("CP2", OcppMicrometer.builder(other).vendorActionTags(true).build(), b -> b);

    get(plain.call("AcmeReport", Map.of()));
    get(named.call("AcmeReport", Map.of()));

    await().atMost(WAIT).until(() -> calls("vendor", "result", "none") != null);
    assertThat(calls("vendor", "result", "none").count()).isEqualTo(1);
    assertThat(registry.find("ocpp.client.calls").tag("action", "AcmeReport").timer()).isNull();
    await().atMost(WAIT).until(() -> other.find("ocpp.client.calls").tag("action", "AcmeReport").timer() != null);
    assertThat(other.find("ocpp.client.calls").tag("action", "AcmeReport").timer().count()).isEqualTo(1);
  }

  @Test
  void thePendingGaugeCountsCallsInFlight() {
    csms.noAnswer("Heartbeat");
    OcppClient c =
        connected("CP1", OcppMicrometer.builder(registry).build(),
            b -> b.callConcurrency(3).callTimeout(Duration.ofMillis(500)));
    List<CompletableFuture<JsonNode>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(c.call("Heartbeat", Map.of()));
    }
    for (int i = 0; i < 3; i++) {
      csms.awaitCall("Heartbeat");
    }

    assertThat(registry.get("ocpp.client.calls.pending").gauge().value()).isEqualTo(3.0);
    assertThat(registry.get("ocpp.client.calls.waiting").gauge().value()).isEqualTo(0.0);

    inFlight.forEach(OcppMicrometerTest::settle);
    assertThat(registry.get("ocpp.client.calls.pending").gauge().value()).isEqualTo(0.0);
    await().atMost(WAIT).until(() -> calls("Heartbeat", "timeout", "none") != null
        && calls("Heartbeat", "timeout", "none").count() == 3);
  }

  @Test
  void theConnectionGaugeCountsOpenClients() {
    ClientMetrics metrics = OcppMicrometer.builder(registry).build();
    OcppClient one = connected("CP1", metrics, b -> b);
    connected("CP2", metrics, b -> b);

    assertThat(registry.get("ocpp.client.connections").tag("state", "open").gauge().value()).isEqualTo(2.0);

    get(one.closeAsync());
    assertThat(registry.get("ocpp.client.connections").tag("state", "open").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void aDropCountsAReconnect() {
    OcppClient c =
        connected("CP1", OcppMicrometer.builder(registry).build(),
            b -> b.backoff(Duration.ofMillis(50), Duration.ofMillis(100)));
    csms.awaitConnection();

    csms.chargePoint("CP1").drop();

    await().atMost(WAIT).until(() -> registry.get("ocpp.client.reconnects").counter().count() == 1.0);
    await().atMost(WAIT).until(() -> csms.chargePoints().size() == 2);
    get(c.call("Heartbeat", Map.of())); // open again
    assertThat(registry.get("ocpp.client.reconnects").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aMalformedFrameCountsABadMessage() {
    OcppClient c = connected("CP1", OcppMicrometer.builder(registry).build(), b -> b);
    csms.awaitConnection().sendRaw("not json");
    get(c.call("Heartbeat", Map.of())); // after the bad frame, in order

    await().atMost(WAIT).until(() -> registry.find("ocpp.client.bad.messages").tag("reason", "not json").counter() != null);
    assertThat(registry.get("ocpp.client.bad.messages").tag("reason", "not json").counter().count()).isEqualTo(1.0);
  }

  @Test
  void eachCallIsAnObservation() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    csms.answerError("Authorize", "SecurityError", "no", null);
    OcppClient c =
        connected("CP1", OcppMicrometer.builder(registry).observationRegistry(observations).build(), b -> b);

    JsonNode unused = get(c.call("Heartbeat", Map.of()));
    settle(c.call("Authorize", Map.of("idTag", "T1")));

    await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo("ocpp.client.call", 2)
        .forAllObservationsWithNameEqualTo("ocpp.client.call", o -> o.hasLowCardinalityKeyValueWithKey("ocpp.outcome")));
    TestObservationRegistryAssert.assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo("ocpp.client.call", 2)
        .hasAnObservation(o -> o.hasContextualNameEqualTo("ocpp out Heartbeat")
            .hasLowCardinalityKeyValue("ocpp.outcome", "result")
            .hasLowCardinalityKeyValue("ocpp.direction", "out")
            .hasLowCardinalityKeyValue("ocpp.version", "ocpp1.6")
            .hasLowCardinalityKeyValue("ocpp.error.code", "none")
            .hasHighCardinalityKeyValue("ocpp.identity", "CP1")
            .hasHighCardinalityKeyValueWithKey("ocpp.message.id")
            .doesNotHaveError())
        .hasAnObservation(o -> o.hasContextualNameEqualTo("ocpp out Authorize")
            .hasLowCardinalityKeyValue("ocpp.outcome", "error")
            .hasLowCardinalityKeyValue("ocpp.error.code", "SecurityError")
            .hasError());
  }
}
