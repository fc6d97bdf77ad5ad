package dev.ocppj.client.rpc;

import java.util.concurrent.CompletionStage;

/**
 * Answers a CALL of one typed action later: gets the request converted to its class, returns a
 * stage of the response object. Registered with {@code OcppClient.handleAsync(OcppAction,
 * AsyncTypedHandler)}. The CALL is answered when the stage completes: with the response, or with
 * the CALLERROR of an {@link RpcException} the stage fails with (InternalError for anything else).
 * A stage that never completes is answered InternalError after {@code handlerTimeout}.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
@FunctionalInterface
public interface AsyncTypedHandler<Q, R> {
  /** Starts handling one request and returns the stage of its response (neither null). */
  CompletionStage<R> handle(Q request) throws Exception;
}
