package dev.ocppj.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.ClientMetrics;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.micrometer.OcppMicrometer;
import dev.ocppj.testkit.TestCsmsExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's Micrometer setup, as written. */
class MetricsReadmeTest {
  @RegisterExtension final TestCsmsExtension csms = TestCsmsExtension.perTest();

  @Test
  void theReadmeSetupRecordsCalls() throws Exception {
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    // README metrics begins
    ClientMetrics metrics = OcppMicrometer.builder(meterRegistry) // one per registry, shared by all clients
        .observationRegistry(observationRegistry)                 // optional: a span per call
        .build();
    OcppClient client = OcppClient.builder(csms.endpoint(), "CP042")
        .protocols(OcppVersion.V1_6).metrics(metrics).build();
    // README metrics ends
    client.connect().get(10, SECONDS);
    client.call("Heartbeat", Map.of()).get(10, SECONDS);
    assertThat(meterRegistry.get("ocpp.client.calls").tag("outcome", "result").timer().count()).isEqualTo(1);
    client.close();
  }
}
