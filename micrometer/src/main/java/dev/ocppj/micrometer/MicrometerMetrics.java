package dev.ocppj.micrometer;

import dev.ocppj.client.CallInfo;
import dev.ocppj.client.CallOutcome;
import dev.ocppj.client.ClientMetrics;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.OcppAction;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.v16.Ocpp16;
import dev.ocppj.client.v201.Ocpp201;
import dev.ocppj.client.v21.Ocpp21;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The Micrometer binding: meters per closed set of tag values, cached so a call's end costs a map
 * lookup and two timer records. Thread-safe; never blocks beyond the registry's own locking.
 */
final class MicrometerMetrics implements ClientMetrics {
  private static final Map<OcppVersion, Set<String>> STANDARD_ACTIONS = standardActions();
  private static final Set<String> ANY_STANDARD_ACTION = union(STANDARD_ACTIONS);
  private static final Set<String> ERROR_CODES = errorCodes();
  private static final ClientState[] GAUGED_STATES = {ClientState.CONNECTING, ClientState.OPEN, ClientState.CLOSING};

  private final MeterRegistry registry;
  private final ObservationRegistry observations;
  private final boolean histograms;
  private final boolean vendorActionTags;
  private final Map<CallKey, Timer> callTimers = new ConcurrentHashMap<>();
  private final Map<CallKey, Timer> queuedTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> badMessages = new ConcurrentHashMap<>();
  private final Counter reconnects;
  private final Counter pongTimeouts;
  private final Timer pongs;
  // The live clients, for the gauges; weak, so a client dropped without close() is collectable.
  private final Set<OcppClient> clients = Collections.newSetFromMap(new WeakHashMap<>());

  /** The tags of one time series of the call timers. */
  private record CallKey(String action, String direction, String outcome, String errorCode, String version) {}

  /** Why an observation failed; the outcome, not a stack trace. */
  private static final class CallFailure extends RuntimeException {
    CallFailure(String message) {
      super(message, null, false, false);
    }
  }

  MicrometerMetrics(OcppMicrometer.Builder b) {
    this.registry = b.registry;
    this.observations = b.observations;
    this.histograms = b.percentileHistograms;
    this.vendorActionTags = b.vendorActionTags;
    this.reconnects =
        Counter.builder("ocpp.client.reconnects").description("Reconnect attempts scheduled").register(registry);
    this.pongTimeouts =
        Counter.builder("ocpp.client.pong.timeouts")
            .description("Connections dropped because no pong came in time")
            .register(registry);
    this.pongs =
        Timer.builder("ocpp.client.pongs").description("WebSocket ping round trips").register(registry);
    for (ClientState state : GAUGED_STATES) {
      Gauge.builder("ocpp.client.connections", this, m -> m.count(state))
          .description("Clients in each connection state")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder("ocpp.client.calls.pending", this, m -> m.sum(OcppClient::pendingCalls))
        .description("Calls sent and awaiting their answer")
        .strongReference(true)
        .register(registry);
    Gauge.builder("ocpp.client.calls.waiting", this, m -> m.sum(OcppClient::queuedCalls))
        .description("Calls waiting to be sent")
        .strongReference(true)
        .register(registry);
  }

  // ---- clients, for the gauges

  @Override
  public void clientCreated(OcppClient client) {
    synchronized (clients) {
      clients.add(client);
    }
  }

  // A closed client stays in the (weak) set: the gauges skip it by its state and it holds no
  // calls, and a connect() racing with its final close cannot leave it out of the gauges for good
  // (removing it here could come after the CLOSED -> CONNECTING that re-added it).
  @Override
  public void clientClosed(OcppClient client) {}

  private List<OcppClient> live() {
    synchronized (clients) {
      return new ArrayList<>(clients);
    }
  }

  private double count(ClientState state) {
    int n = 0;
    for (OcppClient c : live()) {
      if (c.state() == state) {
        n++;
      }
    }
    return n;
  }

  private double sum(ToIntFunction<OcppClient> f) {
    int n = 0;
    for (OcppClient c : live()) {
      n += f.applyAsInt(c);
    }
    return n;
  }

  // ---- calls

  @Override
  public Object callStarted(CallInfo call) {
    if (observations == null) {
      return null;
    }
    String direction = direction(call.direction());
    String action = action(call);
    Observation o =
        Observation.createNotStarted("ocpp.client.call", observations)
            .contextualName("ocpp " + direction + " " + action)
            .lowCardinalityKeyValue("ocpp.action", action)
            .lowCardinalityKeyValue("ocpp.direction", direction)
            .lowCardinalityKeyValue("ocpp.version", version(call.version()))
            .highCardinalityKeyValue("ocpp.message.id", call.messageId())
            .highCardinalityKeyValue("ocpp.identity", call.identity());
    return o.start();
  }

  @Override
  public void callEnded(CallInfo call, Object handle, CallOutcome outcome) {
    String action = action(call);
    String direction = direction(call.direction());
    String result = outcome.kind().name().toLowerCase(Locale.ROOT);
    String code = errorCode(outcome.errorCode());
    String version = version(call.version());
    callTimers
        .computeIfAbsent(
            new CallKey(action, direction, result, code, version),
            k ->
                Timer.builder("ocpp.client.calls")
                    .description("OCPP calls, from call() or arrival to their end")
                    .tags("action", k.action(), "direction", k.direction(), "outcome", k.outcome(),
                        "error.code", k.errorCode(), "version", k.version())
                    .publishPercentileHistogram(histograms)
                    .register(registry))
        .record(outcome.duration());
    queuedTimers
        .computeIfAbsent(
            new CallKey(action, direction, result, null, version),
            k ->
                Timer.builder("ocpp.client.calls.queued")
                    .description("The part of a call spent waiting: unsent, or for its handler")
                    .tags("action", k.action(), "direction", k.direction(), "outcome", k.outcome(),
                        "version", k.version())
                    .publishPercentileHistogram(histograms)
                    .register(registry))
        .record(outcome.queued());
    if (handle instanceof Observation o) {
      o.lowCardinalityKeyValue("ocpp.outcome", result);
      o.lowCardinalityKeyValue("ocpp.error.code", code);
      CallOutcome.Kind kind = outcome.kind();
      if (kind != CallOutcome.Kind.RESULT && kind != CallOutcome.Kind.NO_REPLY) {
        o.error(new CallFailure(call.action() + " (id " + call.messageId() + ") ended " + result
            + (outcome.errorCode() == null ? "" : " " + outcome.errorCode())));
      }
      o.stop();
    }
  }

  // ---- the rest

  @Override
  public void reconnectScheduled(OcppClient client, int attempt, Duration delay) {
    reconnects.increment();
  }

  @Override
  public void badMessage(OcppClient client, String reason) {
    badMessages
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("ocpp.client.bad.messages")
                    .description("Frames from the CSMS the client could not use")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  @Override
  public void pong(OcppClient client, Duration roundTrip) {
    pongs.record(roundTrip);
  }

  @Override
  public void pongTimeout(OcppClient client) {
    pongTimeouts.increment();
  }

  // ---- tag values, each from a closed set

  private String action(CallInfo call) {
    String action = call.action();
    // Opted-in vendor names only for our own calls: a CSMS may send any action name, and each
    // would be two meters kept for good.
    if (vendorActionTags && call.direction() == dev.ocppj.client.rpc.Direction.OUT) {
      return action;
    }
    Set<String> standard = call.version() == null ? ANY_STANDARD_ACTION : STANDARD_ACTIONS.get(call.version());
    return standard.contains(action) ? action : "vendor";
  }

  private static String direction(Direction d) {
    return d == Direction.IN ? "in" : "out";
  }

  private static String version(OcppVersion v) {
    return v == null ? "unknown" : v.subprotocol();
  }

  private static String errorCode(String code) {
    if (code == null) {
      return "none";
    }
    return ERROR_CODES.contains(code) ? code : "other";
  }

  private static Map<OcppVersion, Set<String>> standardActions() {
    Map<OcppVersion, Set<String>> m = new EnumMap<>(OcppVersion.class);
    m.put(OcppVersion.V1_6, names(Ocpp16.ACTIONS));
    m.put(OcppVersion.V2_0_1, names(Ocpp201.ACTIONS));
    m.put(OcppVersion.V2_1, names(Ocpp21.ACTIONS));
    for (OcppVersion v : OcppVersion.values()) {
      if (!m.containsKey(v)) {
        throw new IllegalStateException("no action list for " + v); // a new version needs one here
      }
    }
    return m;
  }

  private static Set<String> names(List<OcppAction<?, ?>> actions) {
    Set<String> names = new HashSet<>();
    for (OcppAction<?, ?> a : actions) {
      names.add(a.name());
    }
    return Set.copyOf(names);
  }

  private static Set<String> union(Map<OcppVersion, Set<String>> byVersion) {
    Set<String> all = new HashSet<>();
    byVersion.values().forEach(all::addAll);
    return Set.copyOf(all);
  }

  private static Set<String> errorCodes() {
    Set<String> codes = new HashSet<>();
    for (RpcErrorCode c : RpcErrorCode.values()) {
      codes.add(c.wireName());
      for (OcppVersion v : OcppVersion.values()) {
        codes.add(c.wireName(v));
      }
    }
    return Set.copyOf(codes);
  }
}
