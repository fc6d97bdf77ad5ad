package dev.ocppj.benchmarks;

import dev.ocppj.client.ClientMetrics;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.micrometer.OcppMicrometer;
import dev.ocppj.testkit.TestCsms;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The metrics hook's cost per call, side by side: sequential Heartbeats against an in-process
 * TestCsms from three clients, one without a hook ({@code ClientMetrics.NONE}), one with a hook
 * that does nothing, one bound to Micrometer (a {@code SimpleMeterRegistry}), in alternating
 * rounds so that machine noise hits all three alike. Prints µs per call and bytes allocated per
 * call (all live threads: the caller, the client's and the CSMS's).
 *
 * <pre>java -cp benchmarks/target/ocpp-client-bench.jar dev.ocppj.benchmarks.MetricsOverhead 20000 7</pre>
 */
public final class MetricsOverhead {
  private MetricsOverhead() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    String[] names = {"none", "no-op hook", "micrometer"};
    ClientMetrics[] hooks = {
      ClientMetrics.NONE, new ClientMetrics() {}, OcppMicrometer.builder(new SimpleMeterRegistry()).build()
    };
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (TestCsms csms = TestCsms.builder().recordFrames(false).start()) {
      OcppClient[] clients = new OcppClient[hooks.length];
      for (int i = 0; i < hooks.length; i++) {
        clients[i] = OcppClient.builder(csms.endpoint(), "CP-M" + i).protocols(OcppVersion.V1_6).metrics(hooks[i]).build();
        clients[i].connect().get(10, TimeUnit.SECONDS);
      }
      double[] micros = new double[hooks.length];
      double[] bytes = new double[hooks.length];
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < hooks.length; i++) {
          long a0 = allocated(threads);
          long t0 = System.nanoTime();
          for (int n = 0; n < calls; n++) {
            clients[i].call("Heartbeat", Map.of()).get(10, TimeUnit.SECONDS);
          }
          double us = (System.nanoTime() - t0) / 1e3 / calls;
          double b = (double) (allocated(threads) - a0) / calls;
          System.out.printf("round %d %-11s %7.2f us/call %8.0f B/call%n", round, names[i], us, b);
          if (round > 0) { // the first round warms up
            micros[i] += us / (rounds - 1);
            bytes[i] += b / (rounds - 1);
          }
        }
      }
      for (int i = 0; i < hooks.length; i++) {
        System.out.printf("mean %-11s %7.2f us/call (x%.3f)  %8.0f B/call (%+.0f)%n",
            names[i], micros[i], micros[i] / micros[0], bytes[i], bytes[i] - bytes[0]);
      }
      for (OcppClient c : clients) {
        c.close();
      }
    }
  }

  private static long allocated(com.sun.management.ThreadMXBean threads) {
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(b, 0);
    }
    return sum;
  }
}
