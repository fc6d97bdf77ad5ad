package dev.ocppj.client;

import java.time.Duration;

/**
 * The metrics and tracing hook: what a client does, with its timings, for a metrics library or
 * a tracer (the {@code ocpp-micrometer} module binds it to Micrometer). Set it with {@link
 * OcppClient.Builder#metrics(ClientMetrics)}; one instance may serve every client of a JVM (each
 * event names its client). Every method has a no-op default. Without a hook ({@link #NONE}, the
 * default) the client measures nothing: a call costs one field read more.
 *
 * <p>Threading: called on library threads (the connection's read thread, the timer thread, the
 * thread of {@code call()} or {@code close()}; a call ended by a middleware that answered it
 * itself, or by {@code cancel}, ends on that thread), never under a library lock. Events from
 * different threads may interleave. An implementation must be thread-safe, quick and non-blocking, and should
 * not throw: what it throws is logged at WARN and otherwise ignored.
 */
public interface ClientMetrics {
  /** No metrics: nothing is measured. */
  ClientMetrics NONE = new ClientMetrics() {};

  /** {@code client} was built with this hook (its state and call counts feed gauges). Once per client. */
  default void clientCreated(OcppClient client) {}

  /**
   * {@code client} reached its final close and is CLOSED. It produces no more events unless it
   * is connected again (then {@link #stateChanged} from CLOSED comes first); a handler still
   * running may yet end its incoming call, as CLOSED.
   */
  default void clientClosed(OcppClient client) {}

  /**
   * A call starts: an outgoing one when {@code call()} is made (before it may wait in the queue),
   * an incoming CALL when it arrived. What this returns (a started tracing span, say) is handed
   * back to {@link #callEnded}; null is fine.
   */
  default Object callStarted(CallInfo call) {
    return null;
  }

  /**
   * The call ended; every started call ends exactly once. An outgoing call ends as the wire
   * decided: RESULT when a CALLRESULT arrives (or a SEND is written), ERROR with the code as
   * received, TIMEOUT (call or queue timeout), CLOSED (connection lost, client closed), REJECTED
   * (queue full, strict mode, wrong version, offline queue overflow, cancelled). An incoming one
   * ends when its answer is sent: RESULT, ERROR with the code sent, TIMEOUT (handlerTimeout),
   * NO_REPLY (and every incoming SEND), or CLOSED if the connection went first.
   */
  default void callEnded(CallInfo call, Object handle, CallOutcome outcome) {}

  /**
   * The client's state changed ({@code from} differs from {@code to}). Transitions decided on
   * different threads (a close racing with an open, say) may reach the hook in another order
   * than they happened; {@link OcppClient#state()} is the truth at any moment.
   */
  default void stateChanged(OcppClient client, ClientState from, ClientState to) {}

  /** A reconnect attempt is scheduled after {@code delay}. */
  default void reconnectScheduled(OcppClient client, int attempt, Duration delay) {}

  /**
   * The CSMS sent a frame the client cannot use. {@code reason} is one of: {@code "not json"},
   * {@code "not an array"}, {@code "bad message type"}, {@code "unknown message type"}, {@code
   * "bad message id"}, {@code "malformed"} (a known type with the wrong structure), {@code
   * "unexpected answer"} (for no pending call: late, cancelled or unknown), {@code "binary frame"}.
   */
  default void badMessage(OcppClient client, String reason) {}

  /** A pong answered the client's ping after {@code roundTrip} (from the ping's send). */
  default void pong(OcppClient client, Duration roundTrip) {}

  /** No pong came within the pong timeout: the connection is dropped. */
  default void pongTimeout(OcppClient client) {}
}
