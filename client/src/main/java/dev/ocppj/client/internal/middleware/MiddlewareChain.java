package dev.ocppj.client.internal.middleware;

import dev.ocppj.client.Registration;
import dev.ocppj.client.rpc.Middleware;
import dev.ocppj.client.rpc.RpcContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Runs a message through the registered {@link Middleware}s, in registration order, and then
 * through the terminal step the caller gives (send, run the handler, deliver the answer).
 *
 * <p>It enforces the contract and names the culprit: each middleware may proceed at most once,
 * and must return a stage. An exception thrown by a middleware or the terminal becomes a failed
 * stage; nothing throws out of {@link #execute}.
 */
public final class MiddlewareChain {
  private final CopyOnWriteArrayList<Middleware> middlewares = new CopyOnWriteArrayList<>();

  /** Appends a middleware; it runs after those registered before it. */
  public Registration add(Middleware middleware) {
    Objects.requireNonNull(middleware, "middleware");
    middlewares.add(middleware);
    return () -> middlewares.remove(middleware);
  }

  /** True when no middleware is registered, so the terminal step runs directly. */
  public boolean isEmpty() {
    return middlewares.isEmpty();
  }

  /** Runs {@code context} through the chain and then {@code terminal}. */
  public CompletionStage<JsonNode> execute(
      RpcContext context, Function<RpcContext, CompletionStage<JsonNode>> terminal) {
    Object[] snapshot = middlewares.toArray();
    if (snapshot.length == 0) {
      return invokeTerminal(terminal, context);
    }
    return new Link(snapshot, 0, context, terminal).run();
  }

  private static CompletionStage<JsonNode> invokeTerminal(
      Function<RpcContext, CompletionStage<JsonNode>> terminal, RpcContext context) {
    try {
      CompletionStage<JsonNode> stage = terminal.apply(context);
      return stage != null ? stage : CompletableFuture.completedFuture(null);
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The chain as the middleware at {@code index} sees it. */
  private static final class Link implements Middleware.Chain {
    private final Object[] middlewares;
    private final int index;
    private final RpcContext context;
    private final Function<RpcContext, CompletionStage<JsonNode>> terminal;
    private final AtomicBoolean proceeded = new AtomicBoolean();

    Link(
        Object[] middlewares,
        int index,
        RpcContext context,
        Function<RpcContext, CompletionStage<JsonNode>> terminal) {
      this.middlewares = middlewares;
      this.index = index;
      this.context = context;
      this.terminal = terminal;
    }

    CompletionStage<JsonNode> run() {
      Middleware m = (Middleware) middlewares[index];
      try {
        CompletionStage<JsonNode> stage = m.intercept(this);
        if (stage == null) {
          return CompletableFuture.failedFuture(
              new IllegalStateException(name(m) + " returned null from intercept()"));
        }
        return stage;
      } catch (Exception | Error e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public RpcContext context() {
      return context;
    }

    @Override
    public CompletionStage<JsonNode> proceed(RpcContext next) {
      Objects.requireNonNull(next, "context");
      if (!proceeded.compareAndSet(false, true)) {
        throw new IllegalStateException(
            name((Middleware) middlewares[index]) + " called proceed() twice");
      }
      if (next.phase() != context.phase() || !next.messageId().equals(context.messageId())) {
        throw new IllegalArgumentException(
            name((Middleware) middlewares[index])
                + " may change params or error, not the phase or message id");
      }
      int following = index + 1;
      if (following == middlewares.length) {
        return invokeTerminal(terminal, next);
      }
      return new Link(middlewares, following, next, terminal).run();
    }

    private static String name(Middleware m) {
      String n = m.getClass().getSimpleName();
      return n.isEmpty() || n.contains("$$Lambda") || n.contains("$Lambda") ? m.getClass().getName() : n;
    }
  }
}
