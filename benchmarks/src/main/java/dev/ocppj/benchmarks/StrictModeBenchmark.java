package dev.ocppj.benchmarks;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.schema.SchemaValidator;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.JsonNode;

/**
 * What strict mode costs per message: validating a parsed payload against its (compiled, cached)
 * OCA schema, next to the cost of parsing the frame, which every message pays anyway.
 *
 * <p>Run: {@code java -cp benchmarks/target/ocpp-client-bench.jar org.openjdk.jmh.Main StrictMode}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StrictModeBenchmark {
  private SchemaValidator v16;
  private SchemaValidator v201;
  private JsonNode heartbeat16;
  private JsonNode boot16;
  private JsonNode meterValues16;
  private JsonNode transactionEvent201;
  private JsonNode invalidBoot16;
  private String meterValuesFrame;

  @Setup
  public void setUp() {
    v16 = SchemaValidator.forVersion(OcppVersion.V1_6);
    v201 = SchemaValidator.forVersion(OcppVersion.V2_0_1);
    heartbeat16 = json("{}");
    boot16 =
        json(
            "{\"chargePointVendor\":\"VendorX\",\"chargePointModel\":\"ModelY\","
                + "\"chargePointSerialNumber\":\"SN-1\",\"firmwareVersion\":\"1.2.3\"}");
    StringBuilder sampled = new StringBuilder();
    String[] measurands = {
      "Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Voltage", "SoC"
    };
    for (int i = 0; i < 10; i++) {
      sampled.append(i == 0 ? "" : ",")
          .append("{\"value\":\"").append(100 + i).append(".5\",\"context\":\"Sample.Periodic\",")
          .append("\"measurand\":\"").append(measurands[i % 5]).append("\",\"phase\":\"L1\",")
          .append("\"location\":\"Outlet\",\"unit\":\"Wh\"}");
    }
    String mv =
        "{\"connectorId\":1,\"transactionId\":42,\"meterValue\":[{\"timestamp\":\"2026-01-02T03:04:05Z\","
            + "\"sampledValue\":[" + sampled + "]}]}";
    meterValues16 = json(mv);
    meterValuesFrame = "[2,\"abc-1\",\"MeterValues\"," + mv + "]";
    transactionEvent201 =
        json(
            "{\"eventType\":\"Updated\",\"timestamp\":\"2026-01-02T03:04:05Z\",\"triggerReason\":\"MeterValuePeriodic\","
                + "\"seqNo\":3,\"transactionInfo\":{\"transactionId\":\"tx-1\",\"chargingState\":\"Charging\"},"
                + "\"evse\":{\"id\":1,\"connectorId\":1},\"idToken\":{\"idToken\":\"ABC\",\"type\":\"ISO14443\"},"
                + "\"meterValue\":[{\"timestamp\":\"2026-01-02T03:04:05Z\",\"sampledValue\":[{\"value\":12.5,"
                + "\"measurand\":\"Energy.Active.Import.Register\",\"unitOfMeasure\":{\"unit\":\"kWh\"}},"
                + "{\"value\":7200,\"measurand\":\"Power.Active.Import\"}]}]}");
    invalidBoot16 = json("{\"chargePointVendor\":\"VendorXXXXXXXXXXXXXXXXXXXX\",\"chargePointModel\":\"ModelY\"}");
    for (Optional<?> v :
        new Optional<?>[] {
          v16.validate("Heartbeat", Role.REQUEST, heartbeat16),
          v16.validate("BootNotification", Role.REQUEST, boot16),
          v16.validate("MeterValues", Role.REQUEST, meterValues16),
          v201.validate("TransactionEvent", Role.REQUEST, transactionEvent201)
        }) {
      if (v.isPresent()) {
        throw new IllegalStateException("benchmark payload is invalid: " + v.get());
      }
    }
  }

  private static JsonNode json(String text) {
    return RpcCodec.mapper().readTree(text);
  }

  @Benchmark
  public Object heartbeat16() {
    return v16.validate("Heartbeat", Role.REQUEST, heartbeat16);
  }

  @Benchmark
  public Object bootNotification16() {
    return v16.validate("BootNotification", Role.REQUEST, boot16);
  }

  @Benchmark
  public Object meterValues16TenSamples() {
    return v16.validate("MeterValues", Role.REQUEST, meterValues16);
  }

  @Benchmark
  public Object transactionEvent201() {
    return v201.validate("TransactionEvent", Role.REQUEST, transactionEvent201);
  }

  @Benchmark
  public Object invalidBootNotification16() {
    return v16.validate("BootNotification", Role.REQUEST, invalidBoot16);
  }

  /** The baseline: decoding the MeterValues frame, which every message costs without strict mode. */
  @Benchmark
  public Object decodeMeterValuesFrame() throws Exception {
    return RpcCodec.decode(meterValuesFrame);
  }
}
