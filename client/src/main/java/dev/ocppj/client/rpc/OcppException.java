package dev.ocppj.client.rpc;

/**
 * The root of every failure that the client reports: an unchecked exception with a message that
 * names the action, the message id and the value involved.
 *
 * <p>The family is closed: {@link RpcException} (a CALLERROR, sent or received), {@link
 * CallTimeoutException}, {@link ConnectionClosedException}, {@link ClientClosedException}, {@link
 * CallQueueFullException}, {@link BadMessageException} and {@link ConnectFailedException}.
 */
public abstract sealed class OcppException extends RuntimeException
    permits RpcException,
        CallTimeoutException,
        ConnectionClosedException,
        ClientClosedException,
        CallQueueFullException,
        BadMessageException,
        ConnectFailedException {

  OcppException(String message, Throwable cause) {
    super(message, cause);
  }
}
