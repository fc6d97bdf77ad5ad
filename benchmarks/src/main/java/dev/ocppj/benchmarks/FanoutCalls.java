package dev.ocppj.benchmarks;

import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The harness's fan-out calls phase (many clients, each a chain of sequential Heartbeats) for
 * profiling: unlike the harness's driver it ends the JVM normally, so JFR recordings are written.
 *
 * <pre>java -XX:StartFlightRecording=filename=fan.jfr -cp ocpp-client-bench.jar \
 *   dev.ocppj.benchmarks.FanoutCalls ws://127.0.0.1:19003/ocpp 1000 30 netty</pre>
 */
public final class FanoutCalls {
  private static final java.util.concurrent.atomic.AtomicInteger ERRORS =
      new java.util.concurrent.atomic.AtomicInteger();

  private static final Map<OcppClient, CompletableFuture<?>> CURRENT =
      new java.util.concurrent.ConcurrentHashMap<>();

  private FanoutCalls() {}

  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:19003/ocpp");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int heartbeats = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Transport transport =
        args.length > 3 && args[3].equals("java-websocket") ? Transport.JAVA_WEBSOCKET : Transport.NETTY;
    java.util.concurrent.Executor executor =
        args.length > 4 ? java.util.concurrent.Executors.newFixedThreadPool(Integer.parseInt(args[4]), r -> {
          Thread t = new Thread(r, "fixed-user");
          t.setDaemon(true);
          return t;
        }) : null;
    List<OcppClient> clients = new ArrayList<>();
    List<CompletableFuture<?>> connects = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      var b = OcppClient.builder(endpoint, "CP-FAN-" + i).protocols(OcppVersion.V1_6).transport(transport);
      if (executor != null) {
        b.callbackExecutor(executor);
      }
      OcppClient c = b.build();
      clients.add(c);
      connects.add(c.connect());
      if (connects.size() == 200) {
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        connects.clear();
      }
    }
    CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    for (int round = 0; round < 3; round++) { // the first rounds warm up
      CountDownLatch done = new CountDownLatch(n);
      long t0 = System.nanoTime();
      CURRENT.clear();
      for (OcppClient c : clients) {
        chain(c, heartbeats, done);
      }
      if (!done.await(8, TimeUnit.SECONDS)) {
        System.out.println("STALL: " + done.getCount() + " clients not done; stuck calls:");
        int shown = 0;
        for (var e : CURRENT.entrySet()) {
          if (!e.getValue().isDone() && shown++ < 5) {
            System.out.println("  " + e.getKey() + " " + e.getValue() + " state " + e.getKey().state());
          }
        }
        Process ss = new ProcessBuilder("ss", "-tn").redirectErrorStream(true).start();
        for (String line : new String(ss.getInputStream().readAllBytes()).split("\n")) {
          String[] cols = line.trim().split("\\s+");
          if (cols.length > 3 && (!cols[1].equals("0") || !cols[2].equals("0"))) {
            System.out.println("SS " + line);
          }
        }
        for (var e : Thread.getAllStackTraces().entrySet()) {
          if (e.getKey().getName().startsWith("ocpp") || e.getKey().getName().startsWith("fixed")) {
            System.out.println("THREAD " + e.getKey().getName() + " " + e.getKey().getState());
            for (StackTraceElement f : e.getValue()) {
              System.out.println("    at " + f);
            }
          }
        }
      }
      if (!done.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("calls did not finish");
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%s round %d: %d clients x %d calls in %.2f s, %.0f calls/s, %d threads%n",
          transport, round, n, heartbeats, s, n * heartbeats / s, Thread.activeCount());
    }
    for (OcppClient c : clients) {
      c.close(CloseOptions.defaults().withAwaitPending(false));
    }
  }

  private static void chain(OcppClient c, int left, CountDownLatch done) {
    if (left == 0) {
      done.countDown();
      return;
    }
    CompletableFuture<?> f = c.call("Heartbeat", Map.of());
    CURRENT.put(c, f);
    f.whenComplete((r, e) -> {
      if (e != null && ERRORS.getAndIncrement() < 5) {
        System.out.println(c.identity() + ": " + e);
      }
      chain(c, left - 1, done);
    });
  }
}
