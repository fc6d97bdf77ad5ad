package dev.ocppj.client.rpc;

import java.util.concurrent.CompletionStage;
import tools.jackson.databind.JsonNode;

/**
 * Intercepts every message the client sends or receives, in the six {@link RpcPhase}s. Middleware
 * run in registration order, each wrapping the ones after it, like OkHttp interceptors.
 *
 * <p>A middleware may change the message (proceed with {@code context().withParams(...)}),
 * short-circuit (return a stage without proceeding), or observe and time the exchange (proceed
 * and look at the stage). It must call {@link Chain#proceed(RpcContext)} at most once; a second
 * call throws {@code IllegalStateException} naming the middleware.
 *
 * <p>Threading: outgoing calls run the chain on the thread that called {@code call(...)}; all
 * other phases run it on the callback executor. A middleware must not block.
 */
@FunctionalInterface
public interface Middleware {
  /** Handles one message; see {@link RpcPhase} for what {@code proceed} does in each phase. */
  CompletionStage<JsonNode> intercept(Chain chain) throws Exception;

  /** The rest of the chain, as one middleware sees it. */
  interface Chain {
    /** The message as it reached this middleware. */
    RpcContext context();

    /**
     * Passes {@code context} on to the next middleware, or to the client at the end of the
     * chain, and returns what that completes with.
     *
     * @throws IllegalStateException if this middleware already proceeded
     */
    CompletionStage<JsonNode> proceed(RpcContext context);

    /** Passes the message on unchanged. */
    default CompletionStage<JsonNode> proceed() {
      return proceed(context());
    }
  }
}
