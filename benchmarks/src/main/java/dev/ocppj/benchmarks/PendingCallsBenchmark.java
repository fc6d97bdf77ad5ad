package dev.ocppj.benchmarks;

import dev.ocppj.client.internal.pending.PendingCall;
import dev.ocppj.client.internal.pending.PendingCalls;
import dev.ocppj.client.internal.runtime.Timers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One call's life in the registry, on the real shared scheduler: submit (sent at once, its
 * timeout scheduled), the answer taken by id, the future completed and its timer cancelled; and
 * the same with 64 calls in flight.
 *
 * <p>Run: {@code java -cp benchmarks/target/ocpp-client-bench.jar org.openjdk.jmh.Main PendingCalls}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PendingCallsBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Timers timers;
  private PendingCalls one;
  private PendingCalls many;
  private final AtomicLong ids = new AtomicLong();
  private final String[] window = new String[64];
  private int slot;

  @Setup
  public void setUp() {
    timers = new Timers("bench");
    timers.acquire();
    one = new PendingCalls(1, 1000, timers::schedule, Runnable::run, call -> PendingCalls.Sender.Outcome.SENT);
    many = new PendingCalls(64, 1000, timers::schedule, Runnable::run, call -> PendingCalls.Sender.Outcome.SENT);
    many.opened();
    one.opened();
    for (int i = 0; i < window.length; i++) {
      window[i] = submit(many);
    }
  }

  @TearDown
  public void tearDown() {
    one.close("done", c -> new IllegalStateException("done"));
    many.close("done", c -> new IllegalStateException("done"));
    timers.release();
  }

  private String submit(PendingCalls registry) {
    String id = "bench-" + Long.toString(ids.incrementAndGet(), 36);
    registry.submit(
        new PendingCall(id, "Heartbeat", null, "[2,\"" + id + "\",\"Heartbeat\",{}]",
            JsonNodeFactory.instance.objectNode(), TIMEOUT, TIMEOUT));
    return id;
  }

  @Benchmark
  public PendingCall oneInFlight() {
    PendingCall call = one.take(submit(one));
    call.finish(JsonNodeFactory.instance.objectNode());
    return call;
  }

  @Benchmark
  public PendingCall sixtyFourInFlight() {
    PendingCall call = many.take(window[slot]);
    call.finish(JsonNodeFactory.instance.objectNode());
    window[slot] = submit(many);
    slot = (slot + 1) % window.length;
    return call;
  }
}
