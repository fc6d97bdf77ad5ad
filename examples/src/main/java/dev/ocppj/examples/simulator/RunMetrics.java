package dev.ocppj.examples.simulator;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The run's Micrometer registry, for {@code --metrics-out}: a timer per action and direction
 * ({@value #CALLS}, tagged action and direction) and an error counter beside it, recorded as the
 * calls end; at the end of the run, gauges for the summary's figures (the percentiles of the
 * table, the totals, the JVM's). The file is the registry in Prometheus text format, or as JSON
 * for a {@code .json} file. Timers and counters are thread-safe; {@link #write} runs once, at the end.
 */
final class RunMetrics {
  static final String CALLS = "ocpp.simulator.calls";
  static final String CALL_ERRORS = "ocpp.simulator.call.errors";
  static final String CALL_LATENCY = "ocpp.simulator.call.latency";
  // A timer's max covers this long: the whole run, not Micrometer's default 2-minute window.
  private static final Duration WHOLE_RUN = Duration.ofDays(366);
  private static final List<Integer> PERCENTILES = List.of(50, 95, 99);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String protocol;
  private final String transport;

  RunMetrics(OcppVersion protocol, Transport transport) {
    this.protocol = protocol.subprotocol();
    this.transport = transport.name().toLowerCase(Locale.ROOT).replace('_', '-');
    registry.config().commonTags("protocol", this.protocol, "transport", this.transport);
  }

  /** The timer and error counter of one action in one direction. */
  record CallMeters(Timer timer, Counter errors) {
    void record(long nanos, boolean ok) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
      if (!ok) {
        errors.increment();
      }
    }
  }

  CallMeters callMeters(String direction, String action) {
    // Micrometer's own percentiles are left off: they would keep more histograms per action; the
    // table's HdrHistogram percentiles are published as gauges at the end instead.
    Timer timer = Timer.builder(CALLS)
        .description("OCPP calls from sending (or arrival) to the answer, answered or failed")
        .tags("action", action, "direction", direction)
        .distributionStatisticExpiry(WHOLE_RUN)
        .distributionStatisticBufferLength(1)
        .register(registry);
    Counter errors = Counter.builder(CALL_ERRORS)
        .description("OCPP calls that failed: CALLERROR, timeout, connection lost")
        .tags("action", action, "direction", direction)
        .register(registry);
    return new CallMeters(timer, errors);
  }

  /** Adds the summary's figures as gauges and writes the registry to {@code file}. */
  void write(Path file, Stats.Summary s, JvmFigures jvm) throws IOException {
    for (Stats.RowSummary r : s.rows()) {
      long[] values = {r.p50(), r.p95(), r.p99()};
      for (int i = 0; i < values.length; i++) {
        long nanos = values[i];
        gauge(CALL_LATENCY, "seconds", "the call latency at this percentile, over the whole run", () -> nanos / 1e9,
            "action", r.action(), "direction", r.direction(), "percentile", String.valueOf(PERCENTILES.get(i)));
      }
    }
    gauge("ocpp.simulator.charge.points", null, "charge points", s::chargePoints, "state", "all");
    gauge("ocpp.simulator.charge.points", null, "charge points", s::completed, "state", "completed");
    gauge("ocpp.simulator.charge.points", null, "charge points", s::failed, "state", "failed");
    gauge("ocpp.simulator.charge.points.connected.peak", null, "most charge points connected at once",
        s::peakConnected);
    gauge("ocpp.simulator.run.calls", null, "calls both ways", s::calls);
    gauge("ocpp.simulator.run.errors", null, "failed calls and bad messages", s::errors);
    gauge("ocpp.simulator.run.duration", "seconds", "from start to the summary", s::seconds);
    gauge("ocpp.simulator.jvm.threads.peak", null, "the JVM's threads at their peak", jvm::peakThreads);
    gauge("ocpp.simulator.jvm.heap.used", "bytes", "heap in use at the end", jvm::heapUsedBytes);
    gauge("ocpp.simulator.jvm.heap.committed", "bytes", "heap committed at the end", jvm::heapCommittedBytes);
    gauge("ocpp.simulator.jvm.heap.live.per.charge.point", "bytes",
        "heap held after a collection, per charge point", jvm::liveHeapBytesPerChargePoint);
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    Files.writeString(file, json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json())
        : registry.scrape());
  }

  private void gauge(String name, String unit, String description, Supplier<Number> value, String... tags) {
    // Strong reference: the supplier is the gauge's only owner (by default a gauge holds it weakly).
    Gauge.builder(name, value).baseUnit(unit).description(description).tags(tags).strongReference(true)
        .register(registry);
  }

  /** The registry as one JSON document: the totals, the JVM and a row per action and direction. */
  private ObjectNode json() {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("protocol", protocol);
    doc.put("transport", transport);
    ObjectNode cps = doc.putObject("chargePoints");
    cps.put("count", (long) value("ocpp.simulator.charge.points", "state", "all"));
    cps.put("completed", (long) value("ocpp.simulator.charge.points", "state", "completed"));
    cps.put("failed", (long) value("ocpp.simulator.charge.points", "state", "failed"));
    cps.put("peakConnected", (long) value("ocpp.simulator.charge.points.connected.peak"));
    doc.put("calls", (long) value("ocpp.simulator.run.calls"));
    doc.put("errors", (long) value("ocpp.simulator.run.errors"));
    double seconds = value("ocpp.simulator.run.duration");
    doc.put("seconds", seconds);
    doc.put("callsPerSecond", value("ocpp.simulator.run.calls") / seconds);
    ObjectNode jvm = doc.putObject("jvm");
    jvm.put("peakThreads", (long) value("ocpp.simulator.jvm.threads.peak"));
    jvm.put("heapUsedBytes", (long) value("ocpp.simulator.jvm.heap.used"));
    jvm.put("heapCommittedBytes", (long) value("ocpp.simulator.jvm.heap.committed"));
    jvm.put("liveHeapBytesPerChargePoint", value("ocpp.simulator.jvm.heap.live.per.charge.point"));
    ArrayNode rows = doc.putArray("actions");
    registry.find(CALLS).timers().stream()
        .sorted(Comparator.comparing((Timer t) -> t.getId().getTag("direction"))
            .thenComparing(t -> t.getId().getTag("action")))
        .forEach(t -> {
          String action = t.getId().getTag("action");
          String direction = t.getId().getTag("direction");
          ObjectNode row = rows.addObject();
          row.put("direction", direction);
          row.put("action", action);
          row.put("count", t.count());
          row.put("errors", (long) registry.get(CALL_ERRORS).tags("action", action, "direction", direction)
              .counter().count());
          for (int p : PERCENTILES) {
            row.put("p" + p + "Ms", ms(value(CALL_LATENCY, "action", action, "direction", direction,
                "percentile", String.valueOf(p)) * 1e3));
          }
          row.put("maxMs", ms(t.max(TimeUnit.MILLISECONDS)));
        });
    return doc;
  }

  private double value(String gauge, String... tags) {
    return registry.get(gauge).tags(tags).gauge().value();
  }

  // Milliseconds to the microsecond: no binary-fraction noise in the file.
  private static double ms(double ms) {
    return Math.round(ms * 1e3) / 1e3;
  }
}
