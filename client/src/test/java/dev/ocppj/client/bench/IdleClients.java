package dev.ocppj.client.bench;

import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * What idle clients cost in one JVM: threads and heap for N connected clients that have booted
 * and sit idle (default pings on), against the in-process test CSMS.
 *
 * <p>Run: {@code mvn -B -q -pl client -am test-compile exec:exec@bench -Dbench.main=dev.ocppj.client.bench.IdleClients
 * -Dbench.args="1000 netty"}} (the second argument: {@code netty}, the default, or {@code
 * java-websocket}). The CSMS's own threads (a selector and a worker) are counted and named.
 */
public final class IdleClients {
  private IdleClients() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Transport transport = args.length > 1 && args[1].equals("java-websocket")
        ? Transport.JAVA_WEBSOCKET : Transport.NETTY;
    try (TestCsms csms = TestCsms.start()) {
      long threadsBefore = threads();
      long heapBefore = usedHeapAfterGc();
      List<OcppClient> clients = new ArrayList<>();
      long start = System.nanoTime();
      List<CompletableFuture<?>> connects = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        OcppClient c = OcppClient.builder(csms.endpoint(), "CP-" + i)
            .protocols(OcppVersion.V1_6)
            .transport(transport)
            .build();
        clients.add(c);
        connects.add(c.connect().thenCompose(open ->
            c.call("BootNotification", Map.of("chargePointVendor", "V", "chargePointModel", "M"))));
        if (connects.size() >= 200) {
          CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
          connects.clear();
        }
      }
      CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      long connectedMs = (System.nanoTime() - start) / 1_000_000;
      // Wait for the callback pool's idle threads to end (keep-alive 5 s): what stays is what
      // idling costs. At most one may stay busy with a ping's event.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> callbackThreads() <= 1);
      long threadsIdle = threads();
      long heapIdle = usedHeapAfterGc();
      System.out.printf(
          "%d idle clients (%s): connected and booted in %d ms; threads %d -> %d (+%d, %.2f per client: %s);"
              + " heap %.1f MiB -> %.1f MiB (%.1f KiB per client)%n",
          n, transport, connectedMs, threadsBefore, threadsIdle, threadsIdle - threadsBefore,
          (threadsIdle - threadsBefore) / (double) n, threadNames(),
          heapBefore / 1048576.0, heapIdle / 1048576.0, (heapIdle - heapBefore) / 1024.0 / n);
      for (OcppClient c : clients) {
        c.close(CloseOptions.defaults().withForce(true));
      }
    }
  }

  private static long threads() {
    return Thread.getAllStackTraces().size();
  }

  private static String threadNames() {
    Map<String, Long> byKind = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String kind = t.getName().replaceAll("-?\\d+$", "");
      byKind.merge(kind, 1L, Long::sum);
    }
    return byKind.toString();
  }

  private static long callbackThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("ocpp-user"))
        .count();
  }

  private static long usedHeapAfterGc() {
    // System.gc() runs a full, stop-the-world collection before it returns (G1, the default);
    // the second one also collects what the first one's finalization released.
    System.gc();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
