package dev.ocppj.examples.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatsTest {
  /**
   * Many threads record widely spread latencies into one row at once, as the callbacks of
   * thousands of charge points do. The packed recorder this replaced deadlocked here (two
   * writers resizing it at the same time); every recording must finish, and be counted.
   */
  @Test
  void concurrentRecordingOfSpreadValuesNeverStallsAndCountsEverything() throws Exception {
    Stats stats = new Stats(1, new RunMetrics(OcppVersion.V2_0_1, Transport.NETTY));
    int threads = 8;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(CompletableFuture.runAsync(() -> {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          for (int i = 0; i < perThread; i++) {
            // 100 ns to 20 min: below, across and above the recorder's range.
            long nanos = (long) Math.pow(10, 2 + r.nextDouble() * 10.1);
            stats.call(Stats.OUT, "TransactionEvent", nanos, i % 100 != 0);
          }
        }, pool));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    Stats.RowSummary row = stats.summary().rows().get(0);
    assertThat(row.count()).isEqualTo((long) threads * perThread);
    assertThat(row.errors()).isEqualTo((long) threads * perThread / 100);
    assertThat(row.p50()).isLessThanOrEqualTo(row.p95());
    assertThat(row.p95()).isLessThanOrEqualTo(row.p99());
    assertThat(row.p99()).isLessThanOrEqualTo(row.max());
    assertThat(row.max()).isGreaterThan(Stats.HIGHEST_NANOS); // the exact maximum, not clamped
  }
}
