package dev.ocppj.client.bench;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.testing.RawPeer;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile CSMS against one client in this JVM, scenario by scenario, reporting what the client
 * held (peak heap) and how it ended. Meant to run with a small heap:
 *
 * <pre>mvn -B -q -pl client -am test-compile exec:exec@bench -Dbench.jvmArgs=-Xmx256m \
 *   -Dbench.main=dev.ocppj.client.bench.HostileCsms</pre>
 */
public final class HostileCsms {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private HostileCsms() {}

  public static void main(String[] args) throws Exception {
    System.out.printf("max heap %d MiB, java %s%n", Runtime.getRuntime().maxMemory() >> 20, Runtime.version());
    run("frame header announcing 2 GiB", HostileCsms::hugeHeader);
    run("one 200 MB text frame", HostileCsms::hugeFrame);
    run("endless 64 KiB continuation frames", HostileCsms::endlessFragments);
    run("400,000 CALLs of 1 KB to a 1 ms handler", HostileCsms::flood);
    run("CALLs from a CSMS that never reads the answers", HostileCsms::stopsReading);
    System.exit(0);
  }

  interface Scenario {
    String run(RawPeer peer, OcppClient client, CompletableFuture<CloseEvent> disconnected) throws Exception;
  }

  private static void run(String name, Scenario scenario) throws Exception {
    System.gc();
    // The heap in use, sampled every 5 ms (java.management is not on this module's path).
    AtomicLong peak = new AtomicLong();
    java.util.concurrent.ScheduledExecutorService sampler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "heap-sampler");
          t.setDaemon(true);
          return t;
        });
    Runtime rt = Runtime.getRuntime();
    sampler.scheduleAtFixedRate(
        () -> peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max), 0, 5, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    String outcome;
    try (RawPeer peer = new RawPeer(16 * 1024)) {
      CompletableFuture<CloseEvent> disconnected = new CompletableFuture<>();
      OcppClient client =
          OcppClient.builder(peer.endpoint(), "CP-HOSTILE")
              .protocols(OcppVersion.V1_6)
              .reconnect(false)
              .listener(
                  new ClientListener() {
                    @Override
                    public void onClose(CloseEvent event) {
                      disconnected.complete(event);
                    }
                  })
              .build();
      try {
        client.connect().get(10, TimeUnit.SECONDS);
        outcome = scenario.run(peer, client, disconnected);
      } catch (Throwable t) {
        outcome = "FAILED: " + t;
      } finally {
        client.close(CloseOptions.defaults().withForce(true));
      }
    }
    sampler.shutdownNow();
    System.out.printf(
        "%-50s %6.1f s  peak heap %5d MiB  %s%n",
        name, (System.nanoTime() - start) / 1e9, peak.get() >> 20, outcome);
  }

  private static String hugeHeader(RawPeer peer, OcppClient c, CompletableFuture<CloseEvent> closed) throws Exception {
    RawPeer.Conn conn = peer.accept(WAIT);
    conn.sendHeader(RawPeer.TEXT, true, Integer.MAX_VALUE);
    RawPeer.Frame close = conn.readClose(WAIT);
    return "client closed with " + (close == null ? "no close frame" : close.closeCode() + " " + close.closeReason());
  }

  private static String hugeFrame(RawPeer peer, OcppClient c, CompletableFuture<CloseEvent> closed) throws Exception {
    RawPeer.Conn conn = peer.accept(WAIT);
    long size = 200L * 1000 * 1000;
    conn.sendHeader(RawPeer.TEXT, true, size);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    long sent = 0;
    try {
      for (; sent < size; sent += chunk.length) {
        conn.write(chunk);
      }
    } catch (IOException e) {
      // the client closed
    }
    CloseEvent e = closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return "client closed with " + e.code() + " after " + (sent >> 20) + " MiB of the payload were written";
  }

  private static String endlessFragments(RawPeer peer, OcppClient c, CompletableFuture<CloseEvent> closed) throws Exception {
    RawPeer.Conn conn = peer.accept(WAIT);
    conn.sendFrame(RawPeer.TEXT, false, "[2,\"1\",\"DataTransfer\",{\"data\":\"".getBytes());
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    long fragments = 0;
    try {
      while (fragments < 1_000_000) {
        conn.sendFrame(RawPeer.CONTINUATION, false, chunk);
        fragments++;
      }
    } catch (IOException e) {
      // the client closed
    }
    CloseEvent e = closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return "client closed with " + e.code() + " after " + fragments + " fragments (" + (fragments * chunk.length >> 20) + " MiB) were written";
  }

  private static String flood(RawPeer peer, OcppClient c, CompletableFuture<CloseEvent> closed) throws Exception {
    c.handle("DataTransfer", call -> {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a handler that takes 1 ms
      return Map.of("status", "Accepted");
    });
    RawPeer.Conn conn = peer.accept(WAIT);
    int total = 400_000;
    String pad = "x".repeat(950);
    AtomicLong answered = new AtomicLong();
    CompletableFuture<Void> allAnswered = new CompletableFuture<>();
    AtomicLong heartbeatAnswers = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              try {
                RawPeer.Frame f;
                while ((f = conn.readFrame(WAIT)) != null) {
                  String t = f.text();
                  if (t.startsWith("[3,")) {
                    if (answered.incrementAndGet() == total) {
                      allAnswered.complete(null);
                    }
                  } else if (t.startsWith("[2,")) {
                    String id = t.substring(4, t.indexOf('"', 4));
                    conn.sendText("[3,\"" + id + "\",{\"currentTime\":\"2026-01-01T00:00:00Z\"}]");
                    heartbeatAnswers.incrementAndGet();
                  }
                }
              } catch (IOException | AssertionError e) {
                // closed
              }
            });
    reader.setDaemon(true);
    reader.start();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < total; i++) {
                  conn.sendText("[2,\"f" + i + "\",\"DataTransfer\",{\"vendorId\":\"v\",\"data\":\"" + pad + "\"}]");
                }
              } catch (IOException e) {
                // closed
              }
            });
    writer.setDaemon(true);
    writer.start();
    // A call of the client's own, made during the flood, must still complete.
    long t0 = System.nanoTime();
    c.call("Heartbeat", Map.of()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    double heartbeatMs = (System.nanoTime() - t0) / 1e6;
    try {
      CompletableFuture.anyOf(allAnswered, closed).get(15, TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException e) {
      // reported below as answered of total
    }
    return answered.get() + " of " + total + " answered; a Heartbeat made meanwhile took " + Math.round(heartbeatMs) + " ms";
  }

  private static String stopsReading(RawPeer peer, OcppClient c, CompletableFuture<CloseEvent> closed) throws Exception {
    c.handle("GetConfiguration", call -> Map.of("configurationKey", java.util.List.of(Map.of("key", "x".repeat(900), "readonly", true))));
    RawPeer.Conn conn = peer.accept(WAIT);
    long sent = 0;
    try {
      while (!closed.isDone() && sent < 10_000_000) {
        conn.sendText("[2,\"g" + sent + "\",\"GetConfiguration\",{}]");
        sent++;
      }
    } catch (IOException e) {
      // the client dropped the connection
    }
    CloseEvent e = closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return "after " + sent + " CALLs: " + e.code() + " " + e.reason();
  }
}
