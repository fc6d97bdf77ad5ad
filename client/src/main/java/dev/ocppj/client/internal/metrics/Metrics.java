package dev.ocppj.client.internal.metrics;

import dev.ocppj.client.CallInfo;
import dev.ocppj.client.CallOutcome;
import dev.ocppj.client.ClientMetrics;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.rpc.Direction;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's {@link ClientMetrics} hook, called safely: what the hook throws is logged at WARN
 * once per client and otherwise ignored. With {@link ClientMetrics#NONE} nothing is measured:
 * {@link #on()} is false and callers skip their tracking (no {@link CallTracker}, no clock read).
 * Callers never hold a lock while calling in here.
 */
public final class Metrics {
  private static final Logger log = LoggerFactory.getLogger(Metrics.class);

  private final ClientMetrics hook;
  private final boolean on;
  private final Supplier<String> identity;
  private final AtomicBoolean warned = new AtomicBoolean();
  // Set once, right after the client is built; no event can come before (nothing runs yet).
  private volatile OcppClient client;

  public Metrics(ClientMetrics hook, Supplier<String> identity) {
    this.hook = hook;
    this.on = hook != ClientMetrics.NONE;
    this.identity = identity;
  }

  /** True if a hook is set; callers skip all tracking when it is not. */
  public boolean on() {
    return on;
  }

  /** The client was built. */
  public void created(OcppClient c) {
    this.client = c;
    if (on) {
      try {
        hook.clientCreated(c);
      } catch (Throwable e) {
        failed("clientCreated", e);
      }
    }
  }

  /** Starts tracking a call; only when {@link #on()}. */
  public CallTracker start(OcppVersion version, Direction direction, String action, String messageId) {
    long start = System.nanoTime();
    CallInfo info = new CallInfo(identity.get(), version, direction, action, messageId);
    Object handle = null;
    try {
      handle = hook.callStarted(info);
    } catch (Throwable e) {
      failed("callStarted", e);
    }
    return new CallTracker(this, info, handle, start);
  }

  void ended(CallInfo info, Object handle, CallOutcome outcome) {
    try {
      hook.callEnded(info, handle, outcome);
    } catch (Throwable e) {
      failed("callEnded", e);
    }
  }

  public void stateChanged(ClientState from, ClientState to) {
    if (on && from != to) {
      try {
        hook.stateChanged(client, from, to);
      } catch (Throwable e) {
        failed("stateChanged", e);
      }
    }
  }

  public void reconnectScheduled(int attempt, Duration delay) {
    if (on) {
      try {
        hook.reconnectScheduled(client, attempt, delay);
      } catch (Throwable e) {
        failed("reconnectScheduled", e);
      }
    }
  }

  /** A bad frame; {@code reason} is one of the fixed texts {@link ClientMetrics#badMessage} lists. */
  public void badMessage(String reason) {
    if (on) {
      try {
        hook.badMessage(client, reason);
      } catch (Throwable e) {
        failed("badMessage", e);
      }
    }
  }

  public void pong(Duration roundTrip) {
    if (on) {
      try {
        hook.pong(client, roundTrip);
      } catch (Throwable e) {
        failed("pong", e);
      }
    }
  }

  public void pongTimeout() {
    if (on) {
      try {
        hook.pongTimeout(client);
      } catch (Throwable e) {
        failed("pongTimeout", e);
      }
    }
  }

  public void clientClosed() {
    if (on) {
      try {
        hook.clientClosed(client);
      } catch (Throwable e) {
        failed("clientClosed", e);
      }
    }
  }

  // Every hook call catches Throwable: a hook may throw a checked exception it did not declare
  // (Kotlin, sneaky throws), and one escaping here would leave a call's future uncompleted.
  private void failed(String method, Throwable e) {
    // Once per client: a broken hook must not flood the log on every call.
    if (warned.compareAndSet(false, true)) {
      log.warn(
          "[{}] the metrics hook {} threw from {}; ignoring it (later failures are not logged)",
          identity.get(), hook, method, e);
    }
  }
}
