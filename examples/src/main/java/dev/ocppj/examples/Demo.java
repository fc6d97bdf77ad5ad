package dev.ocppj.examples;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.MessageEvent;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The demo: starts an in-process test CSMS on 127.0.0.1, connects one charge point over OCPP
 * 1.6, sends BootNotification and Heartbeat, answers a server-initiated Reset, prints every frame
 * and exits 0 (1 on any failure).
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    int status = 1;
    try (TestCsms csms = TestCsms.start()) {
      status = run(csms);
    } catch (Exception e) {
      System.err.println("demo failed: " + e);
      e.printStackTrace();
    }
    System.exit(status);
  }

  static int run(TestCsms csms) throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    OcppClient client =
        OcppClient.builder(csms.endpoint(), "CP-DEMO-1")
            .protocols(OcppVersion.V1_6)
            .callTimeout(Duration.ofSeconds(10))
            .listener(
                new ClientListener() {
                  @Override
                  public void onOpen(OpenEvent event) {
                    System.out.println("open    " + event.url() + " (" + event.protocol() + ")");
                  }

                  @Override
                  public void onMessage(MessageEvent event) {
                    String arrow = event.direction() == Direction.OUT ? "CP  -> CSMS" : "CSMS -> CP ";
                    System.out.println(arrow + "  " + event.text());
                  }

                  @Override
                  public void onClose(CloseEvent event) {
                    System.out.println("closed  code " + event.code());
                    closed.countDown();
                  }
                })
            .build();

    // Answer the CSMS's Reset like a charge point that accepts it.
    client.handle("Reset", call -> Map.of("status", "Accepted"));

    client.connect().get(10, TimeUnit.SECONDS);
    JsonNode boot =
        client
            .call(
                "BootNotification",
                Map.of("chargePointVendor", "ocpp-client", "chargePointModel", "Demo"))
            .get(10, TimeUnit.SECONDS);
    check("Accepted".equals(boot.path("status").asString()), "BootNotification was not accepted: " + boot);
    JsonNode heartbeat = client.call("Heartbeat", Map.of()).get(10, TimeUnit.SECONDS);
    check(heartbeat.has("currentTime"), "Heartbeat answer has no currentTime: " + heartbeat);

    // The CSMS calls the charge point; the handler above answers.
    Frame reset =
        csms.lastChargePoint().call("Reset", Map.of("type", "Soft")).get(10, TimeUnit.SECONDS);
    check(
        "Accepted".equals(reset.payload().path("status").asString()),
        "Reset was not accepted: " + reset.text());

    client.closeAsync().get(10, TimeUnit.SECONDS);
    check(closed.await(10, TimeUnit.SECONDS), "no close event");
    System.out.println("demo ok: BootNotification, Heartbeat and a server-initiated Reset");
    return 0;
  }

  private static void check(boolean ok, String failure) {
    if (!ok) {
      throw new IllegalStateException(failure);
    }
  }
}
