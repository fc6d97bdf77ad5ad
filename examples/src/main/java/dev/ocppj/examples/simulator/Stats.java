package dev.ocppj.examples.simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a run counts: charge points connected, completed and failed, and for every action in each
 * direction its calls, errors and latencies. Thread-safe; the charge points report from the
 * library's callback threads.
 *
 * <p>Latencies go into an HdrHistogram {@link Recorder} per action and direction (wait-free for
 * the many recording threads) for the table, and into the run's Micrometer timers ({@link
 * RunMetrics}) for {@code --metrics-out}. The recorder has a fixed range (1 µs to 10 minutes, 2
 * significant digits: about 25 KB each, whatever the count) and never resizes: the packed,
 * auto-resizing recorder deadlocked here when recording threads resized it at the same time
 * (each waits in {@code WriterReaderPhaser.readerLock} inside its own writer section), stalling
 * every charge point's callbacks at {@code --count 1000} over 2.0.1.
 *
 * <p>No coordinated-omission correction is applied, because nothing here has an intended rate
 * that a slow answer could hold back. Each charge point runs its steps in a closed loop (the next
 * step starts when the previous one's future completes, and {@code wait} waits after that), so
 * every call was made when the scenario meant to make it and its latency is what it was. The
 * calls that are periodic (the station's heartbeat timer, at a fixed rate) are sent whether or
 * not the last one was answered, and CallStats starts the clock at {@code call()}, before the
 * client's queue, so a stall shows up in the latencies instead of in fewer samples.
 * {@code recordValueWithExpectedInterval} would add samples for calls that were never delayed.
 */
final class Stats {
  /** Rows per direction at most (OCPP 2.1 has 92 actions); more go to one "(other)" row. */
  static final int MAX_ROWS = 128;
  static final long LOWEST_NANOS = 1_000;
  static final long HIGHEST_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  /** A row of the summary: one action in one direction. */
  private static final class Row {
    final String direction;
    final String action;
    // Nanoseconds, 1 µs to 10 min, 2 significant digits (percentiles within 1%); fixed size.
    private final Recorder latencies = new Recorder(LOWEST_NANOS, HIGHEST_NANOS, 2);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);
    private final LongAdder errors = new LongAdder();
    private final RunMetrics.CallMeters meters;
    private Histogram interval; // guarded by this: the recorder's recycled interval histogram
    private final Histogram total = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, 2); // guarded by this

    Row(String direction, String action, RunMetrics metrics) {
      this.direction = direction;
      this.action = action;
      this.meters = metrics.callMeters(direction, action);
    }

    void add(long latencyNanos, boolean ok) {
      long nanos = Math.max(0, latencyNanos);
      latencies.recordValue(Math.min(nanos, HIGHEST_NANOS)); // the exact max is kept below
      max.accumulate(nanos);
      if (!ok) {
        errors.increment();
      }
      meters.record(nanos, ok);
    }

    /** Everything recorded so far (the recorder hands over what came since the last call). */
    synchronized RowSummary summary() {
      interval = latencies.getIntervalHistogram(interval);
      total.add(interval);
      long most = max.get();
      // A percentile is its bucket's highest value, which can pass the exact maximum by < 1%.
      return new RowSummary(direction, action, total.getTotalCount(), errors.sum(),
          Math.min(most, total.getValueAtPercentile(50)), Math.min(most, total.getValueAtPercentile(95)),
          Math.min(most, total.getValueAtPercentile(99)), most);
    }
  }

  /**
   * One action in one direction at the end of a run; latencies in nanoseconds, the percentiles
   * to 2 significant digits (0 without calls), the maximum exact.
   */
  record RowSummary(String direction, String action, long count, long errors, long p50, long p95, long p99, long max) {}

  /** The run's totals and rows, taken once: the table and the metrics file print the same figures. */
  record Summary(int chargePoints, int completed, int failed, int peakConnected, long calls, long errors,
      double seconds, String slowest, double slowestSeconds, List<RowSummary> rows) {}

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
  private final RunMetrics metrics;
  private String slowest; // guarded by this
  private double slowestSeconds; // guarded by this
  private long lastCalls;
  private long lastTickNanos = startNanos;

  Stats(int chargePoints, RunMetrics metrics) {
    this.chargePoints = chargePoints;
    this.metrics = metrics;
  }

  /** A call in {@code direction} finished after {@code latencyNanos}, answered or failed. */
  void call(String direction, String action, long latencyNanos, boolean ok) {
    Map<String, Row> rows = direction.equals(OUT) ? outRows : inRows;
    // A CSMS may send any action name: past MAX_ROWS a new one is counted under "(other)".
    String key = rows.size() >= MAX_ROWS && !rows.containsKey(action) ? "(other)" : action;
    rows.computeIfAbsent(key, a -> new Row(direction, a, metrics)).add(latencyNanos, ok);
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

  /** The figures of the run so far, for the summary and the metrics file. */
  Summary summary() {
    List<RowSummary> rows = new ArrayList<>();
    outRows.values().forEach(r -> rows.add(r.summary()));
    inRows.values().forEach(r -> rows.add(r.summary()));
    rows.sort(Comparator.comparing(RowSummary::direction).thenComparing(RowSummary::action));
    synchronized (this) {
      return new Summary(chargePoints, completed.get(), failures.size(), peakConnected.get(), calls.get(),
          errors.get(), elapsedSeconds(), slowest, slowestSeconds, List.copyOf(rows));
    }
  }

  /** The final table: totals, then one row per action and direction with latency percentiles. */
  void printSummary(PrintStream out, String title, Summary s, JvmFigures jvm) {
    out.println();
    out.println(title);
    out.printf(
        "  charge points %d: completed %d, failed %d; peak connected %d%n",
        s.chargePoints(), s.completed(), s.failed(), s.peakConnected());
    out.printf(
        "  calls %d, errors %d in %.2f s: %.0f calls/s%n", s.calls(), s.errors(), s.seconds(), s.calls() / s.seconds());
    if (s.slowest() != null) {
      out.printf("  last to finish: %s after %.2f s%n", s.slowest(), s.slowestSeconds());
    }
    out.println("  " + jvm.describe(s.chargePoints()));
    out.println();
    out.printf("  %-9s %-28s %8s %7s %8s %8s %8s %8s%n",
        "direction", "action", "calls", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms");
    for (RowSummary r : s.rows()) {
      out.printf(
          "  %-9s %-28s %8d %7d %8.1f %8.1f %8.1f %8.1f%n",
          r.direction(), r.action(), r.count(), r.errors(), ms(r.p50()), ms(r.p95()), ms(r.p99()), ms(r.max()));
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

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
