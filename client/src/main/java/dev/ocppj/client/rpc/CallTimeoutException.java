package dev.ocppj.client.rpc;

import java.time.Duration;

/** A call got no CALLRESULT or CALLERROR within its timeout, counted from when it was sent. */
public final class CallTimeoutException extends OcppException {
  private final String action;
  private final String messageId;
  private final Duration timeout;

  /** Creates the exception for the call {@code action} with id {@code messageId}. */
  public CallTimeoutException(String action, String messageId, Duration timeout) {
    super(action + " (id " + messageId + ") timed out after " + timeout, null);
    this.action = action;
    this.messageId = messageId;
    this.timeout = timeout;
  }

  /** The action of the call that timed out. */
  public String action() {
    return action;
  }

  /** The message id of the call that timed out. */
  public String messageId() {
    return messageId;
  }

  /** The timeout that elapsed. */
  public Duration timeout() {
    return timeout;
  }
}
