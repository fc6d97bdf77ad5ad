package dev.ocppj.examples.simulator;

import dev.ocppj.chargepoint.IdToken;
import dev.ocppj.chargepoint.StationListener;
import dev.ocppj.chargepoint.StationProfile;
import dev.ocppj.chargepoint.VirtualStation;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.client.rpc.ConnectFailedException;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One charge point of a run: a {@link VirtualStation} on its client, the steps it goes through,
 * and what the summary counts of it (connections, validation failures, why it failed). All
 * charge-point behaviour is the model's; this class only scripts it.
 */
final class StationRun implements ClientListener, StationListener {
  final String identity;
  final VirtualStation station;
  private final int number;
  private final OcppVersion version;
  private final Stats stats;
  private boolean open; // guarded by this
  private volatile String failure;

  StationRun(String identity, int number, OcppClient.Builder builder, StationProfile profile, Stats stats) {
    this.identity = identity;
    this.number = number;
    this.stats = stats;
    OcppClient client = builder.listener(this).build();
    this.version = client.options().protocols().get(0);
    this.station = VirtualStation.create(client, profile);
    // The embedded CSMS's remote start has no one to plug a cable in: the EV is there already.
    station.remoteStartPlugsIn(true);
    station.addListener(this);
  }

  /** Why this charge point failed, or null. */
  String failure() {
    return failure;
  }

  /** Connects, boots and reports every connector's status. */
  CompletableFuture<Void> start() {
    return station.start().handle((v, e) -> {
      if (e != null) {
        Throwable cause = e;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
          cause = cause.getCause();
        }
        // A refused connection names itself ("connect to ... failed"); anything else is the boot's.
        throw cause instanceof ConnectFailedException ? new Failure(cause.getMessage()) : Failure.of("start", cause);
      }
      return null;
    });
  }

  /** Runs {@code steps} in order; {@code csms} is the embedded CSMS's part, for the csms step. */
  CompletableFuture<Void> run(List<Step> steps, Supplier<CompletableFuture<Void>> csms) {
    CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
    for (Step step : steps) {
      for (int i = 0; i < step.repeat(); i++) {
        f = f.thenCompose(v -> Failure.step(step.name(), () -> apply(step, csms)));
      }
    }
    return f;
  }

  private CompletableFuture<Void> apply(Step step, Supplier<CompletableFuture<Void>> csms) {
    int at = step.location();
    return switch (step.name()) {
      case "token" -> station.presentToken(at, token(step.argument()));
      case "plug" -> station.plugIn(at);
      case "unplug" -> station.unplug(at);
      case "meter" -> station.sampleMeter(at);
      case "suspend" -> station.suspendByEv(at, true);
      case "resume" -> station.suspendByEv(at, false);
      case "fault" -> station.fault(at, step.argument() == null ? "GroundFailure" : step.argument());
      case "clear" -> station.clearFault(at);
      case "offline" -> station.goOffline();
      case "online" -> station.goOnline();
      case "heartbeat" -> station.heartbeat();
      case "wait" -> CompletableFuture.runAsync(() -> {},
          CompletableFuture.delayedExecutor(step.duration().toMillis(), TimeUnit.MILLISECONDS));
      case "csms" -> csms.get();
      default -> throw new IllegalStateException("unknown step " + step); // Step.parse refuses it
    };
  }

  // This charge point's card: a valid 7-byte ISO 14443 UID, the same on every run.
  private IdToken token(String value) {
    if (value == null) {
      return IdToken.iso14443(number);
    }
    if (version == OcppVersion.V1_6) {
      return IdToken.idTag(value);
    }
    return new IdToken(value, IdToken.isValid(value, IdToken.ISO14443) ? IdToken.ISO14443 : IdToken.CENTRAL);
  }

  void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
    stats.failed(identity, reason);
  }

  // ---- what the station and its client report

  @Override
  public void onFailure(String what, Throwable error) {
    fail(Failure.of(what, error).getMessage());
  }

  @Override
  public void onOpen(OpenEvent event) {
    synchronized (this) {
      open = true;
    }
    stats.opened();
  }

  @Override
  public void onDisconnect(CloseEvent event) {
    lost();
  }

  @Override
  public void onClose(CloseEvent event) {
    lost();
  }

  private void lost() {
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
    }
    stats.closed();
  }

  @Override
  public void onStrictValidationFailure(ValidationFailureEvent event) {
    stats.error();
    if (event.phase() == RpcPhase.OUTGOING_RESULT) {
      fail("our answer to " + event.action() + " failed validation: " + event.error().getMessage());
    }
  }
}
