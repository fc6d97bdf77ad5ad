package dev.ocppj.examples;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.rpc.RpcException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The README's quick start, compiled by the build so that it stays true. */
public final class QuickStart {
  private QuickStart() {}

  /** Connects CP001 to {@code endpoint}, boots, answers Reset, and closes. */
  public static void run(URI endpoint) {
    // README quick start begins
    OcppClient client =
        OcppClient.builder(endpoint, "CP001") // connects to <endpoint>/CP001
            .protocols(OcppVersion.V1_6)
            .callTimeout(Duration.ofSeconds(30))
            .build();

    // Answer calls from the CSMS; runs on the callback executor, never on the socket thread.
    client.handle("Reset", call -> {
      String type = call.params().path("type").asString();
      if (!type.equals("Soft") && !type.equals("Hard")) {
        throw new RpcException.PropertyConstraintViolation("unknown reset type " + type);
      }
      return Map.of("status", "Accepted");
    });

    client.connect().join(); // completes when the WebSocket is open and ocpp1.6 negotiated

    JsonNode boot = client.call("BootNotification", Map.of(
        "chargePointVendor", "VendorX",
        "chargePointModel", "ModelY")).join();
    System.out.println("BootNotification: " + boot.get("status").asString());

    client.close(); // waits for in-flight calls, then closes with 1000
    // README quick start ends
  }

  public static void main(String[] args) {
    run(URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:9000/ocpp"));
  }
}
