package dev.ocppj.client.rpc;

/**
 * Answers a CALL of one typed action: gets the request converted to its class, returns the
 * response object. Registered with {@code OcppClient.handle(OcppAction, TypedHandler)}; runs like
 * a {@link CallHandler} (on the callback executor, may block), and throws an {@link RpcException}
 * to answer with a CALLERROR. A request whose payload does not fit the class is answered with a
 * CALLERROR without calling the handler.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
@FunctionalInterface
public interface TypedHandler<Q, R> {
  /** Handles one request and returns its response (not null). */
  R handle(Q request) throws Exception;
}
