package dev.ocppj.client.internal.lifecycle;

import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.internal.runtime.OcppFuture;
import dev.ocppj.client.internal.session.Session;
import dev.ocppj.client.rpc.ConnectFailedException;
import java.util.concurrent.ScheduledFuture;

/**
 * One {@code connect()} to its final close: its futures and where it is. Every field is guarded
 * by the {@link Lifecycle}'s lock.
 */
final class Cycle {
  final OcppFuture<OpenEvent> connectFuture = new OcppFuture<>();
  /** Whoever sets this decided the connect future's outcome, and completes it. */
  boolean connectSettled;
  OcppFuture<CloseEvent> closeFuture;
  /** What close() asked for; null until then. */
  CloseOptions closing;
  /** The current attempt or connection. */
  Session session;
  ScheduledFuture<?> reconnectTimer;
  /** The reconnect policy is being asked, on the scheduler thread. */
  boolean deciding;
  boolean everOpened;
  /** The final close has begun. */
  boolean finished;
  /** The events generation of this connect(). */
  long events;
  /** Reconnect attempts since the count last started again. */
  int attempt;
  ConnectFailedException lastFailure;
}
