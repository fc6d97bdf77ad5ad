package dev.ocppj.client.rpc;

/**
 * The client is closed or closing: a call made then fails with this, as does a call that was
 * still queued (never sent) when {@code close()} ran, and a connect attempt that {@code close()}
 * cancelled.
 */
public final class ClientClosedException extends OcppException {
  /** Creates the exception with a message that says what did not happen and why. */
  public ClientClosedException(String message) {
    super(message, null);
  }
}
