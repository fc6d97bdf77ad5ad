package dev.ocppj.examples.simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a run counts: charge points connected, completed and failed, and for every action in each
 * direction its calls, errors and latencies. Thread-safe; the charge points report from the
 * library's callback threads.
 */
final class Stats {
  /** A row of the summary: one action in one direction. */
  private static final class Row {
    final String direction;
    final String action;
    private long[] nanos = new long[64];
    private int count;
    private int errors;

    Row(String direction, String action) {
      this.direction = direction;
      this.action = action;
    }

    synchronized void add(long latencyNanos, boolean ok) {
      if (count == nanos.length) {
        nanos = Arrays.copyOf(nanos, count * 2);
      }
      nanos[count++] = latencyNanos;
      if (!ok) {
        errors++;
      }
    }

    synchronized long[] sorted() {
      long[] s = Arrays.copyOf(nanos, count);
      Arrays.sort(s);
      return s;
    }

    synchronized int errors() {
      return errors;
    }
  }

  static final String OUT = "CP->CSMS";
  static final String IN = "CSMS->CP";

  private final long startNanos = System.nanoTime();
  private final int chargePoints;
  // One map per direction, by action: no key to build per call.
  private final Map<String, Row> outRows = new ConcurrentHashMap<>();
  private final Map<String, Row> inRows = new ConcurrentHashMap<>();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger peakConnected = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private String slowest; // guarded by this
  private double slowestSeconds; // guarded by this
  private long lastCalls;
  private long lastTickNanos = startNanos;

  Stats(int chargePoints) {
    this.chargePoints = chargePoints;
  }

  /** A call in {@code direction} finished after {@code latencyNanos}, answered or failed. */
  void call(String direction, String action, long latencyNanos, boolean ok) {
    Map<String, Row> rows = direction.equals(OUT) ? outRows : inRows;
    rows.computeIfAbsent(action, a -> new Row(direction, a)).add(latencyNanos, ok);
    calls.incrementAndGet();
    if (!ok) {
      errors.incrementAndGet();
    }
  }

  /** An error that belongs to no call of ours (a bad message from the CSMS, say). */
  void error() {
    errors.incrementAndGet();
  }

  void opened() {
    peakConnected.accumulateAndGet(connected.incrementAndGet(), Math::max);
  }

  void closed() {
    connected.decrementAndGet();
  }

  void completed() {
    completed.incrementAndGet();
  }

  /** A charge point's run ended, now; the last one is named in the summary. */
  synchronized void finished(String identity) {
    double at = elapsedSeconds();
    if (slowest == null || at > slowestSeconds) {
      slowest = identity;
      slowestSeconds = at;
    }
  }

  void failed(String identity, String reason) {
    failures.putIfAbsent(identity, reason);
  }

  int completedCount() {
    return completed.get();
  }

  int failedCount() {
    return failures.size();
  }

  Map<String, String> failures() {
    return new TreeMap<>(failures);
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The live line: connected, completed, failed, calls and errors so far, and the call rate since the last line. */
  synchronized String progress() {
    long now = System.nanoTime();
    long done = calls.get();
    double rate = (done - lastCalls) / Math.max(1e-9, (now - lastTickNanos) / 1e9);
    lastCalls = done;
    lastTickNanos = now;
    return String.format(
        "[%6.1fs] connected %d/%d  completed %d  failed %d  calls %d  errors %d  %.0f calls/s",
        (now - startNanos) / 1e9, connected.get(), chargePoints, completed.get(), failures.size(),
        done, errors.get(), rate);
  }

  /** The final table: totals, then one row per action and direction with latency percentiles. */
  void printSummary(PrintStream out, String title, String jvm) {
    double seconds = elapsedSeconds();
    long done = calls.get();
    out.println();
    out.println(title);
    out.printf(
        "  charge points %d: completed %d, failed %d; peak connected %d%n",
        chargePoints, completed.get(), failures.size(), peakConnected.get());
    out.printf(
        "  calls %d, errors %d in %.2f s: %.0f calls/s%n", done, errors.get(), seconds, done / seconds);
    synchronized (this) {
      if (slowest != null) {
        out.printf("  last to finish: %s after %.2f s%n", slowest, slowestSeconds);
      }
    }
    out.println("  " + jvm);
    out.println();
    out.printf("  %-9s %-28s %8s %7s %8s %8s %8s%n", "direction", "action", "calls", "errors", "p50 ms", "p95 ms", "max ms");
    List<Row> sorted = new ArrayList<>(outRows.values());
    sorted.addAll(inRows.values());
    sorted.sort(Comparator.comparing((Row r) -> r.direction).thenComparing(r -> r.action));
    for (Row r : sorted) {
      long[] s = r.sorted();
      out.printf(
          "  %-9s %-28s %8d %7d %8.1f %8.1f %8.1f%n",
          r.direction, r.action, s.length, r.errors(), ms(percentile(s, 50)), ms(percentile(s, 95)),
          ms(s.length == 0 ? 0 : s[s.length - 1]));
    }
    if (!failures.isEmpty()) {
      out.println();
      out.println("  why charge points failed (count, an example):");
      Map<String, List<String>> byReason = new LinkedHashMap<>();
      // The same failure of many charge points differs only by the identity it names.
      failures().forEach((id, reason) ->
          byReason.computeIfAbsent(reason.replace(id, "<id>"), k -> new ArrayList<>()).add(id));
      byReason.entrySet().stream()
          .sorted(Comparator.comparing((Map.Entry<String, List<String>> e) -> -e.getValue().size()))
          .limit(10)
          .forEach(e -> out.printf("  %6d  %s: %s%n", e.getValue().size(), e.getValue().get(0), e.getKey()));
    }
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
