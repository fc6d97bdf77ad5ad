package dev.ocppj.examples;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.v201.BootNotificationRequest;
import dev.ocppj.client.v201.BootNotificationResponse;
import dev.ocppj.client.v201.BootReasonEnum;
import dev.ocppj.client.v201.ChargingStation;
import dev.ocppj.client.v201.Ocpp201;
import dev.ocppj.client.v201.ResetEnum;
import dev.ocppj.client.v201.ResetResponse;
import dev.ocppj.client.v201.ResetStatusEnum;
import java.net.URI;

/** The README's typed example (OCPP 2.0.1, strict mode on), compiled by the build. */
public final class TypedQuickStart {
  private TypedQuickStart() {}

  /** Connects CP002 over OCPP 2.0.1, boots with typed messages, answers Reset, and closes. */
  public static BootNotificationResponse run(URI endpoint) {
    // README typed example begins
    OcppClient client =
        OcppClient.builder(endpoint, "CP002")
            .protocols(OcppVersion.V2_0_1)
            .strictMode(true) // validate traffic against the OCA schemas
            .build();

    // Typed handler: gets a ResetRequest, must return a ResetResponse.
    client.handle(Ocpp201.RESET, reset ->
        new ResetResponse(reset.type() == ResetEnum.IMMEDIATE
            ? ResetStatusEnum.ACCEPTED
            : ResetStatusEnum.SCHEDULED));

    client.connect().join();

    // The request knows its action, so the future is a CompletableFuture<BootNotificationResponse>.
    BootNotificationResponse boot = client.call(new BootNotificationRequest(
        new ChargingStation("ModelY", "VendorX").firmwareVersion("1.4.2"),
        BootReasonEnum.POWER_UP)).join();
    System.out.println("Boot " + boot.status() + ", heartbeat every " + boot.interval() + " s");

    client.close();
    // README typed example ends
    return boot;
  }
}
