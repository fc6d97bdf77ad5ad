package dev.ocppj.chargepoint;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meter values (1.6 section 3.16): sampled during a transaction every MeterValueSampleInterval
 * (MeterValuesSampledData, Sample.Periodic), clock-aligned every ClockAlignedDataInterval from
 * midnight UTC (MeterValuesAlignedData, Sample.Clock), on TriggerMessage (Trigger), and the
 * StopTxn*Data kept for StopTransaction's transactionData; the charging limit in force caps
 * each meter's power.
 */
final class Cp16Meters {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargePoint cp;
  private ScheduledFuture<?> aligned; // guarded by cp

  Cp16Meters(ChargePoint cp) {
    this.cp = cp;
  }

  /** Brings connector {@code c}'s limit (and so its meter's power) up to the charging profiles now. Under the lock. */
  void applyLimit(Cp16Connector c) {
    if (c.meter == null || !cp.profile.supports(Feature.SMART_CHARGING)) {
      return;
    }
    double w = cp.profiles.limitW(c.id, AbstractStation.now(), c.tx == null ? null : c.tx.id,
        c.tx == null ? null : c.tx.start, c.meter.voltage(), c.meter.phases(), c.maxPowerW);
    c.limitW = w;
    c.meter.limitW(w);
  }

  /** {@link #applyLimit} for every connector. Under the lock. */
  void applyLimits() {
    for (Cp16Connector c : cp.connectors) {
      applyLimit(c);
    }
  }

  /** One MeterValue of {@code measurands} at connector {@code c} (skipping SoC without an EV battery). Under the lock. */
  ObjectNode sample(Cp16Connector c, List<String> measurands, String context) {
    ObjectNode mv = StationJson.object().put("timestamp", StationJson.time(AbstractStation.now()));
    ArrayNode values = mv.putArray("sampledValue");
    Meter m = c.meter;
    double offeredW = Math.min(c.maxPowerW, c.limitW);
    for (String measurand : measurands) {
      ObjectNode v = StationJson.object();
      switch (measurand) {
        case "Energy.Active.Import.Register" -> v.put("value", Long.toString(Math.round(m.energyWh()))).put("unit", "Wh");
        case "Power.Active.Import" -> v.put("value", decimal(m.powerW())).put("unit", "W");
        case "Current.Import" -> v.put("value", decimal(m.currentA())).put("unit", "A");
        case "Voltage" -> v.put("value", decimal(m.voltage())).put("unit", "V");
        case "Power.Offered" -> v.put("value", decimal(offeredW)).put("unit", "W");
        case "Current.Offered" -> v.put("value", decimal(offeredW / (m.voltage() * m.phases()))).put("unit", "A");
        case "SoC" -> {
          Double soc = m.soc();
          if (soc == null) {
            continue;
          }
          v.put("value", decimal(soc)).put("unit", "Percent").put("location", "EV");
        }
        default -> {
          continue;
        }
      }
      values.add(v.put("context", context).put("measurand", measurand));
    }
    return mv;
  }

  private static String decimal(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  /** A MeterValues request of connector {@code c} (with the transaction's id, if any). */
  private static ObjectNode meterValues(Cp16Connector c, Cp16Connector.Transaction tx, ObjectNode meterValue) {
    ObjectNode req = StationJson.object().put("connectorId", c.id);
    if (tx != null) {
      req.put("transactionId", Long.parseLong(tx.id));
    }
    req.putArray("meterValue").add(meterValue);
    return req;
  }

  /** (Re)arms the sampled meter values of {@code c}'s transaction. Under the lock. */
  void armSampler(Cp16Connector c) {
    Cp16Connector.Transaction tx = c.tx;
    c.cancelSampler();
    int seconds = cp.config.intValue("MeterValueSampleInterval");
    if (tx == null || seconds <= 0) {
      return;
    }
    Duration every = Duration.ofSeconds(seconds);
    tx.sampler = StationTimer.every(every, every, () -> cp.enqueue("MeterValues " + c.id, () -> periodic(c, tx))
        .exceptionally(e -> {
          cp.failed("MeterValues " + c.id, e);
          return null;
        }));
  }

  /** MeterValueSampleInterval changed: every running transaction samples at the new interval at once. */
  void rearmSamplers() {
    synchronized (cp) {
      for (Cp16Connector c : cp.connectors) {
        if (c.tx != null) {
          armSampler(c);
        }
      }
    }
  }

  /** VirtualStation.sampleMeter: a Sample.Periodic MeterValues of {@code c} now, with its transaction's id if one runs. */
  CompletableFuture<Void> sampleNow(Cp16Connector c) {
    ObjectNode request;
    synchronized (cp) {
      applyLimit(c);
      List<String> sampled = cp.config.measurands("MeterValuesSampledData");
      if (sampled.isEmpty()) {
        sampled = List.of("Energy.Active.Import.Register");
      }
      if (c.tx != null && !cp.config.measurands("StopTxnSampledData").isEmpty()) {
        c.tx.record(sample(c, cp.config.measurands("StopTxnSampledData"), "Sample.Periodic"));
      }
      request = meterValues(c, c.tx, sample(c, sampled, "Sample.Periodic"));
    }
    return cp.send("MeterValues", request).thenApply(a -> (Void) null);
  }

  private CompletableFuture<Void> periodic(Cp16Connector c, Cp16Connector.Transaction tx) {
    ObjectNode request = null;
    synchronized (cp) {
      if (c.tx != tx) {
        return DONE;
      }
      applyLimit(c); // a schedule's next period may have begun
      List<String> end = cp.config.measurands("StopTxnSampledData");
      if (!end.isEmpty()) {
        tx.record(sample(c, end, "Sample.Periodic"));
      }
      List<String> sampled = cp.config.measurands("MeterValuesSampledData");
      if (!sampled.isEmpty()) {
        request = meterValues(c, tx, sample(c, sampled, "Sample.Periodic"));
      }
    }
    CompletableFuture<?> sent = request == null ? DONE : cp.send("MeterValues", request);
    return sent.thenCompose(v -> cp.sessions.report(false));
  }

  /** (Re)arms the clock-aligned meter values (0: off), aligned to multiples of the interval from midnight UTC. */
  void armAligned() {
    synchronized (cp) {
      cancelAligned();
      int seconds = cp.config.intValue("ClockAlignedDataInterval");
      if (seconds <= 0 || cp.stopped()) {
        return;
      }
      long period = seconds * 1000L;
      long sinceMidnight = System.currentTimeMillis() % 86_400_000L;
      long first = period - sinceMidnight % period;
      aligned = StationTimer.every(Duration.ofMillis(first), Duration.ofMillis(period),
          () -> cp.enqueue("clock-aligned MeterValues", this::alignedTick).exceptionally(e -> {
            cp.failed("clock-aligned MeterValues", e);
            return null;
          }));
    }
  }

  void cancelAligned() {
    synchronized (cp) {
      if (aligned != null) {
        aligned.cancel(false);
        aligned = null;
      }
    }
  }

  private CompletableFuture<Void> alignedTick() {
    List<ObjectNode> requests = new ArrayList<>();
    synchronized (cp) {
      List<String> measurands = cp.config.measurands("MeterValuesAlignedData");
      List<String> end = cp.config.measurands("StopTxnAlignedData");
      for (int i = 1; i < cp.connectors.length; i++) {
        Cp16Connector c = cp.connectors[i];
        applyLimit(c);
        if (c.tx != null && !end.isEmpty()) {
          c.tx.record(sample(c, end, "Sample.Clock"));
        }
        if (!measurands.isEmpty()) {
          requests.add(meterValues(c, c.tx, sample(c, measurands, "Sample.Clock")));
        }
      }
    }
    return sendAll(requests);
  }

  /**
   * TriggerMessage MeterValues (section 5.17): connector {@code id}'s values, or every
   * connector's for 0 or none, with context Trigger; MeterValuesSampledData, or the energy
   * register when that is empty (a trigger must report something).
   */
  CompletableFuture<Void> trigger(Integer id) {
    List<ObjectNode> requests = new ArrayList<>();
    synchronized (cp) {
      List<String> measurands = cp.config.measurands("MeterValuesSampledData");
      if (measurands.isEmpty()) {
        measurands = List.of("Energy.Active.Import.Register");
      }
      for (int i = 1; i < cp.connectors.length; i++) {
        if (id == null || id == 0 || id == i) {
          Cp16Connector c = cp.connectors[i];
          requests.add(meterValues(c, c.tx, sample(c, measurands, "Trigger")));
        }
      }
    }
    return sendAll(requests);
  }

  private CompletableFuture<Void> sendAll(List<ObjectNode> requests) {
    CompletableFuture<Void> chain = DONE;
    for (ObjectNode r : requests) {
      chain = chain.thenCompose(v -> cp.send("MeterValues", r).thenApply(a -> (Void) null));
    }
    return chain;
  }

  /** When {@code c}'s transaction started, for the charging profiles (null without one). Under the lock. */
  static OffsetDateTime txStart(Cp16Connector c) {
    return c.tx == null ? null : c.tx.start;
  }
}
