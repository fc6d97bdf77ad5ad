package dev.ocppj.benchmarks;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.router.HandlerRouter;
import dev.ocppj.client.rpc.CallHandler;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Finding the handler of an incoming CALL: version-specific, generic, wildcard, none.
 *
 * <p>Run: {@code java -cp benchmarks/target/ocpp-client-bench.jar org.openjdk.jmh.Main Router}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterBenchmark {
  private HandlerRouter router;
  private HandlerRouter withoutWildcard;

  @Setup
  public void setUp() {
    CallHandler h = call -> Map.of();
    router = new HandlerRouter();
    withoutWildcard = new HandlerRouter();
    for (String action : new String[] {"Reset", "GetConfiguration", "ChangeConfiguration", "TriggerMessage",
        "RemoteStartTransaction", "RemoteStopTransaction", "UnlockConnector", "ChangeAvailability"}) {
      router.register(null, action, h);
      withoutWildcard.register(null, action, h);
    }
    router.register(OcppVersion.V1_6, "Reset", h);
    router.registerWildcard(h);
  }

  @Benchmark
  public CallHandler versionSpecific() {
    return router.find(OcppVersion.V1_6, "Reset");
  }

  @Benchmark
  public CallHandler generic() {
    return router.find(OcppVersion.V1_6, "TriggerMessage");
  }

  @Benchmark
  public CallHandler wildcard() {
    return router.find(OcppVersion.V1_6, "DataTransfer");
  }

  @Benchmark
  public CallHandler none() {
    return withoutWildcard.find(OcppVersion.V1_6, "DataTransfer");
  }
}
