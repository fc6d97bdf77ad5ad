package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.testing.TestCsms;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SmokeTest {
  @Test
  void endToEnd() throws Exception {
    try (TestCsms csms = TestCsms.start()) {
      OcppClient client = OcppClient.builder(csms.endpoint(), "CP 1").protocols(OcppVersion.V1_6).build();
      client.handle("Reset", call -> Map.of("status", "Accepted"));
      OpenEvent open = client.connect().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(open.protocol()).isEqualTo(OcppVersion.V1_6);
      TestCsms.Peer peer = csms.awaitConnection();
      assertThat(peer.identity()).isEqualTo("CP 1");
      assertThat(peer.resource()).isEqualTo("/ocpp/CP%201");
      JsonNode boot = client.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M")).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(boot.get("status").asString()).isEqualTo("Accepted");
      csms.awaitCall("BootNotification");
      TestCsms.Received answer = peer.call("Reset", Map.of("type", "Soft")).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.payload().get("status").asString()).isEqualTo("Accepted");
      csms.takeFrame();
      CloseEvent closed = client.closeAsync().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(1000);
      assertThat(client.state()).isEqualTo(ClientState.CLOSED);
    }
  }
}
