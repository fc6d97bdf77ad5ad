package dev.ocppj.benchmarks;

import dev.ocppj.client.internal.codec.Frame;
import dev.ocppj.client.internal.codec.MalformedFrameException;
import dev.ocppj.client.internal.codec.Payloads;
import dev.ocppj.client.internal.codec.RpcCodec;
import java.util.Map;
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
 * The codec on the hot path: decoding an answer and a CALL, encoding a CALL from a {@code Map}
 * (what {@code call(action, Map)} pays) and from a tree, encoding a result.
 *
 * <p>Run: {@code java -cp benchmarks/target/ocpp-client-bench.jar org.openjdk.jmh.Main Codec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
  private String heartbeatResult;
  private String bootCall;
  private Map<String, Object> bootParams;
  private JsonNode bootTree;

  @Setup
  public void setUp() {
    heartbeatResult = "[3,\"k3v0q1zx-1f\",{\"currentTime\":\"2026-12-07T01:02:03.456Z\"}]";
    bootCall =
        "[2,\"19223201\",\"BootNotification\",{\"chargePointVendor\":\"VendorX\",\"chargePointModel\":\"ModelY\","
            + "\"chargePointSerialNumber\":\"SN-1\",\"firmwareVersion\":\"1.2.3\"}]";
    bootParams = Map.of("chargePointVendor", "VendorX", "chargePointModel", "ModelY");
    bootTree = Payloads.toObject(bootParams, () -> "params");
  }

  @Benchmark
  public Frame decodeResult() throws MalformedFrameException {
    return RpcCodec.decode(heartbeatResult);
  }

  @Benchmark
  public Frame decodeCall() throws MalformedFrameException {
    return RpcCodec.decode(bootCall);
  }

  @Benchmark
  public String encodeCallFromMap() {
    return RpcCodec.encodeCall(RpcCodec.CALL, "k3v0q1zx-1f", "BootNotification", Payloads.toObject(bootParams, () -> "params"));
  }

  @Benchmark
  public String encodeCallFromTree() {
    return RpcCodec.encodeCall(RpcCodec.CALL, "k3v0q1zx-1f", "BootNotification", bootTree);
  }

  @Benchmark
  public String encodeResult() {
    return RpcCodec.encodeResult("19223201", bootTree);
  }
}
