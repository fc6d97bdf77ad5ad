package dev.ocppj.client.internal.session;

import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.internal.metrics.Metrics;
import dev.ocppj.client.internal.middleware.MiddlewareChain;
import dev.ocppj.client.internal.offline.TransactionMessages;
import dev.ocppj.client.internal.pending.PendingCalls;
import dev.ocppj.client.internal.router.HandlerRouter;
import dev.ocppj.client.internal.runtime.Timers;
import dev.ocppj.client.internal.runtime.UserExecutor;
import dev.ocppj.client.internal.schema.Strictness;
import java.util.function.Supplier;

/**
 * The parts of one client that outlive its connections, as each connection's {@link Session}
 * uses them. Built once by the client; every part is thread-safe.
 *
 * @param options the options in force (they change with {@code reconfigure})
 * @param user where user code runs
 * @param events the listeners
 * @param timers the client's timers
 * @param router the handlers
 * @param middleware the middleware
 * @param pending the outgoing calls
 * @param strictness strict mode
 * @param order the ordering of answers before later CALLs
 * @param transactions the stored transaction-related messages; null unless a store is configured
 * @param metrics the metrics hook
 */
public record ClientParts(
    Supplier<ClientOptions> options,
    UserExecutor user,
    Listeners events,
    Timers timers,
    HandlerRouter router,
    MiddlewareChain middleware,
    PendingCalls pending,
    Strictness strictness,
    InboundOrder order,
    TransactionMessages transactions,
    Metrics metrics) {

  /** The charge point's identity, for the log. */
  public String identity() {
    return options.get().identity();
  }
}
