package dev.ocppj.micrometer;

import dev.ocppj.client.ClientMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Binds ocpp-client's {@link ClientMetrics} hook to Micrometer: timers, gauges and counters in a
 * {@link MeterRegistry} and, optionally, an observation (a tracing span) per call.
 *
 * <pre>{@code
 * ClientMetrics metrics = OcppMicrometer.builder(meterRegistry).build();
 * OcppClient client = OcppClient.builder(uri, "CP-0001").metrics(metrics).build();
 * }</pre>
 *
 * <p>Build one binding per registry and give it to every client: gauges sum over the clients it
 * serves, and a second binding on the same registry would find the first one's gauges already
 * registered. Meters (tag values come from closed sets, so cardinality stays bounded):
 *
 * <ul>
 *   <li>{@code ocpp.client.calls} (timer): call duration, from {@code call()} or the CALL's
 *       arrival to its end; tags {@code action}, {@code direction} (in, out), {@code outcome}
 *       (result, error, timeout, closed, rejected, no_reply), {@code error.code} (the OCPP code,
 *       {@code other} for one outside the OCPP tables, {@code none}), {@code version} (ocpp1.6,
 *       ocpp2.0.1, ocpp2.1, unknown).
 *   <li>{@code ocpp.client.calls.queued} (timer): the part of it spent waiting (unsent, or for a
 *       handler); the same tags without {@code error.code}.
 *   <li>{@code ocpp.client.connections} (gauge, tag {@code state}: connecting, open, closing):
 *       clients in each state.
 *   <li>{@code ocpp.client.calls.pending} and {@code ocpp.client.calls.waiting} (gauges):
 *       calls awaiting their answer, and calls waiting to be sent, over all clients.
 *   <li>{@code ocpp.client.reconnects}, {@code ocpp.client.pong.timeouts} (counters), {@code
 *       ocpp.client.bad.messages} (counter, tag {@code reason}), {@code ocpp.client.pongs}
 *       (timer: ping round trips).
 * </ul>
 *
 * <p>An action outside its version's standard set is tagged {@code vendor} unless {@link
 * Builder#vendorActionTags(boolean)} is on.
 */
public final class OcppMicrometer {
  private OcppMicrometer() {}

  /** Starts a binding to {@code registry}. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(Objects.requireNonNull(registry, "registry"));
  }

  /** Options of the binding; each has a default. */
  public static final class Builder {
    final MeterRegistry registry;
    ObservationRegistry observations;
    boolean percentileHistograms;
    boolean vendorActionTags;

    private Builder(MeterRegistry registry) {
      this.registry = registry;
    }

    /**
     * Also starts an observation named {@code ocpp.client.call} per call (default: none), with
     * low-cardinality key values {@code ocpp.action}, {@code ocpp.direction}, {@code
     * ocpp.version}, {@code ocpp.outcome}, {@code ocpp.error.code} and high-cardinality ones
     * {@code ocpp.message.id} and {@code ocpp.identity}. A call that ends other than with a
     * result (or, for an unanswered SEND, no reply) marks its observation with an error.
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observations = Objects.requireNonNull(registry, "observationRegistry");
      return this;
    }

    /** Publishes percentile histograms for the call timers (default: off). */
    public Builder percentileHistograms(boolean on) {
      this.percentileHistograms = on;
      return this;
    }

    /**
     * Tags vendor actions (those outside the OCPP version's own set) with their own names
     * (default: off, they are tagged {@code vendor}). Only turn it on if the CSMS and the
     * charge point use a small, fixed set of them: every name is a new time series.
     */
    public Builder vendorActionTags(boolean on) {
      this.vendorActionTags = on;
      return this;
    }

    /** The hook, for {@code OcppClient.Builder.metrics(...)}; registers the gauges now. */
    public ClientMetrics build() {
      return new MicrometerMetrics(this);
    }
  }
}
