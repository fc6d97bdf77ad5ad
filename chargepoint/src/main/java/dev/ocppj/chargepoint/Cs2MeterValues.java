package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;

import dev.ocppj.client.ClientState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meter values (block J): the sampled values of a transaction (TxUpdatedInterval, a timer per
 * transaction), the clock-aligned values (AlignedDataCtrlr.Interval, one station timer aligned to
 * midnight UTC), triggered and on-demand samples, and the MeterValue rows the SampledDataCtrlr and
 * AlignedDataCtrlr measurand lists select. It is apart from {@link Cs2Transactions} because it
 * runs on its own timers and reads the meters, while that class drives the session; inside a
 * transaction the values travel in its TransactionEvent ({@link Cs2TransactionEvents}), outside
 * one as MeterValues. Every method here runs inside a station work step or under the station's
 * lock.
 */
final class Cs2MeterValues {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargingStation s;
  private ScheduledFuture<?> aligned; // guarded by s

  Cs2MeterValues(ChargingStation s) {
    this.s = s;
  }

  private Cs2TransactionEvents events() {
    return s.transactionEvents();
  }

  /** A periodic sample now: TransactionEvent Updated (MeterValuePeriodic) in a transaction, MeterValues otherwise. */
  CompletableFuture<Void> sample(Cs2Evse e) {
    ObjectNode event;
    synchronized (s) {
      if (e.tx == null) {
        event = null;
      } else {
        event = events().event(e, "Updated", "MeterValuePeriodic", "TxUpdatedMeasurands", "Sample.Periodic");
      }
    }
    if (event != null) {
      return events().sendEvent(e, event);
    }
    ObjectNode mv;
    synchronized (s) {
      mv = object().put("evseId", e.id);
      ArrayNode values = meterValue(e, "SampledDataCtrlr", "TxUpdatedMeasurands", "Sample.Periodic");
      if (values == null) {
        return DONE;
      }
      mv.set("meterValue", values);
    }
    return s.send("MeterValues", mv).thenApply(a -> null);
  }

  /** TriggerMessage TransactionEvent: Updated with triggerReason Trigger. */
  CompletableFuture<Void> triggered(Cs2Evse e) {
    ObjectNode event;
    synchronized (s) {
      if (e.tx == null) {
        return DONE;
      }
      event = events().event(e, "Updated", "Trigger", "TxUpdatedMeasurands", "Trigger");
    }
    return events().sendEvent(e, event);
  }

  /** TriggerMessage MeterValues: the aligned measurands with context Trigger. */
  CompletableFuture<Void> meterValues(Cs2Evse e, String context) {
    ObjectNode mv;
    synchronized (s) {
      mv = object().put("evseId", e.id);
      ArrayNode values = meterValue(e, "AlignedDataCtrlr", "Measurands", context);
      if (values == null) {
        return DONE;
      }
      mv.set("meterValue", values);
    }
    return s.send("MeterValues", mv).thenApply(a -> null);
  }

  /** One MeterValue of the measurands {@code component}/{@code variable} lists (null when it lists none). */
  ArrayNode meterValue(Cs2Evse e, String component, String variable, String context) {
    String list = s.model().value(component, variable, null);
    if (list == null || list.isBlank()) {
      return null;
    }
    ArrayNode values = Cs2Json.array();
    ObjectNode one = values.addObject().put("timestamp", Cs2Json.timestamp());
    ArrayNode sampled = one.putArray("sampledValue");
    for (String m : list.split(",")) {
      Double v = switch (m.trim()) {
        case "Energy.Active.Import.Register" -> e.meter.energyWh();
        case "Power.Active.Import" -> e.meter.powerW();
        case "Current.Import" -> e.meter.currentA();
        case "Voltage" -> e.meter.voltage();
        case "SoC" -> e.meter.soc();
        default -> null;
      };
      if (v == null) {
        continue;
      }
      String unit = switch (m.trim()) {
        case "Energy.Active.Import.Register" -> "Wh";
        case "Power.Active.Import" -> "W";
        case "Current.Import" -> "A";
        case "Voltage" -> "V";
        default -> "Percent";
      };
      ObjectNode sv = sampled.addObject().put("value", Math.round(v * 10) / 10.0).put("context", context)
          .put("measurand", m.trim());
      sv.putObject("unitOfMeasure").put("unit", unit);
    }
    return sampled.isEmpty() ? null : values;
  }

  // ---- timers

  /** Arms the TxUpdatedInterval timer of {@code e}'s transaction; call under the lock. */
  void armPeriodic(Cs2Evse e) {
    Cs2Evse.Tx tx = e.tx;
    if (tx.periodic != null) {
      tx.periodic.cancel(false);
      tx.periodic = null;
    }
    int seconds = s.model().intValue("SampledDataCtrlr", "TxUpdatedInterval", null, 60);
    if (seconds > 0) {
      Duration every = Duration.ofSeconds(seconds);
      tx.periodic = StationTimer.every(every, every, () -> s.enqueue("periodic meter values", () -> {
        ObjectNode ev;
        synchronized (s) {
          if (e.tx != tx) {
            return DONE;
          }
          ev = events().event(e, "Updated", "MeterValuePeriodic", "TxUpdatedMeasurands", "Sample.Periodic");
        }
        return events().sendEvent(e, ev);
      }).exceptionally(x -> null));
    }
  }

  /** TxUpdatedInterval changed: re-arms every running transaction's timer at once. */
  void rearmPeriodic() {
    synchronized (s) {
      for (Cs2Evse e : s.evses) {
        if (e.tx != null) {
          armPeriodic(e);
        }
      }
    }
  }

  /** (Re-)arms the clock-aligned timer (AlignedDataCtrlr.Interval, 0: off), aligned to midnight UTC. */
  void rearmAligned() {
    synchronized (s) {
      if (aligned != null) {
        aligned.cancel(false);
        aligned = null;
      }
      int seconds = s.model().intValue("AlignedDataCtrlr", "Interval", null, 900);
      if (seconds <= 0 || s.stopped()) {
        return;
      }
      long nowMs = System.currentTimeMillis();
      long period = seconds * 1000L;
      long first = period - Math.floorMod(nowMs, period);
      aligned = StationTimer.every(Duration.ofMillis(first), Duration.ofMillis(period), () -> {
        if (s.client().state() == ClientState.OPEN) {
          s.enqueue("clock-aligned meter values", this::alignedValues).exceptionally(x -> null);
        }
      });
    }
  }

  private CompletableFuture<Void> alignedValues() {
    CompletableFuture<Void> chain = DONE;
    for (Cs2Evse e : s.evses) {
      chain = chain.thenCompose(v -> {
        ObjectNode ev = null;
        synchronized (s) {
          if (e.tx != null) {
            ev = events().event(e, "Updated", "MeterValueClock", "Measurands", "Sample.Clock");
          }
        }
        return ev != null ? events().sendEvent(e, ev) : meterValues(e, "Sample.Clock");
      });
    }
    return chain;
  }

  /** Stops the clock-aligned timer and every transaction's periodic timer. */
  void cancelTimers() {
    synchronized (s) {
      if (aligned != null) {
        aligned.cancel(false);
        aligned = null;
      }
      for (Cs2Evse e : s.evses) {
        if (e.tx != null && e.tx.periodic != null) {
          e.tx.periodic.cancel(false);
        }
      }
    }
  }
}
