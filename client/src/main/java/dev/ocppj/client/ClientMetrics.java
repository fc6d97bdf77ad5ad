package dev.ocppj.client;

import java.time.Duration;

/**
 * The metrics and tracing hook: what a client does, with its timings, for a metrics library or
 * a tracer (the {@code ocpp-micrometer} module binds it to Micrometer). Set it with {@link
 * OcppClient.Builder#metrics(ClientMetrics)}; one instance may serve every client of a JVM (each
 * event names its client). Every method has a no-op default. Without a hook ({@link #NONE}, the
 * default) the client measures nothing: a call costs one field read more.
 *
 * <p>Threading: called on library threads (the connection's event loop, the timer thread), never
 * under a library lock. An implementation must be thread-safe, quick and non-blocking, and should
 * not throw: what it throws is logged at WARN and otherwise ignored.
 */
public interface ClientMetrics {
  /** No metrics: nothing is measured. */
  ClientMetrics NONE = new ClientMetrics() {};

  /** {@code client} was built with this hook (its state and call counts feed gauges). Once per client. */
  default void clientCreated(OcppClient client) {}

  /** {@code client} is closed for good (its final close); it produces no more events. */
  default void clientClosed(OcppClient client) {}

  /**
   * A call starts: an outgoing one when {@code call()} is made (before it may wait in the queue),
   * an incoming CALL when it arrived. What this returns (a started tracing span, say) is handed
   * back to {@link #callEnded}; null is fine.
   */
  default Object callStarted(CallInfo call) {
    return null;
  }

  /** The call ended; every started call ends exactly once. */
  default void callEnded(CallInfo call, Object handle, CallOutcome outcome) {}

  /** The client's state changed. */
  default void stateChanged(OcppClient client, ClientState from, ClientState to) {}

  /** A reconnect attempt is scheduled after {@code delay}. */
  default void reconnectScheduled(OcppClient client, int attempt, Duration delay) {}

  /** The CSMS sent a frame the client cannot use ({@code reason} is short and fixed per kind). */
  default void badMessage(OcppClient client, String reason) {}

  /** A pong answered the client's ping after {@code roundTrip}. */
  default void pong(OcppClient client, Duration roundTrip) {}

  /** No pong came within the pong timeout: the connection is dropped. */
  default void pongTimeout(OcppClient client) {}
}
