package dev.ocppj.benchmarks;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sequential Heartbeats against a server, for profiling the round trip (JFR, async-profiler):
 * unlike the harness's driver it ends the JVM normally, so recordings are written.
 *
 * <pre>java -XX:StartFlightRecording=filename=seq.jfr -cp ocpp-client-bench.jar \
 *   dev.ocppj.benchmarks.SequentialCalls ws://127.0.0.1:19003/ocpp 50000 netty</pre>
 */
public final class SequentialCalls {
  private SequentialCalls() {}

  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:19003/ocpp");
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    Transport transport = args.length > 2 && args[2].equals("java-websocket") ? Transport.JAVA_WEBSOCKET : Transport.NETTY;
    OcppClient c =
        OcppClient.builder(endpoint, "CP-SEQ").protocols(OcppVersion.V1_6).transport(transport).build();
    c.connect().get(10, TimeUnit.SECONDS);
    c.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M")).get(10, TimeUnit.SECONDS);
    for (int round = 0; round < 2; round++) { // the first round warms up
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        c.call("Heartbeat", Map.of()).get(10, TimeUnit.SECONDS);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%s round %d: %d calls in %.2f s, %.0f calls/s%n", transport, round, calls, s, calls / s);
    }
    c.close();
  }
}
