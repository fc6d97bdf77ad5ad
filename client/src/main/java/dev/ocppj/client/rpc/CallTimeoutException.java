package dev.ocppj.client.rpc;

import java.time.Duration;

/**
 * A call ended without an answer in time: either it was sent and got no CALLRESULT or CALLERROR
 * within its {@code callTimeout} ({@link #wasSent()} true), or it was never sent because it
 * waited longer than its {@code queueTimeout} for a free slot or a connection (false).
 */
public final class CallTimeoutException extends OcppException {
  private final String action;
  private final String messageId;
  private final Duration timeout;
  private final boolean sent;

  /** A sent call that got no answer within {@code timeout}. */
  public CallTimeoutException(String action, String messageId, Duration timeout) {
    this(action, messageId, timeout, true);
  }

  /**
   * A call that timed out after {@code timeout}: sent and unanswered if {@code sent}, else still
   * waiting to be sent.
   */
  public CallTimeoutException(String action, String messageId, Duration timeout, boolean sent) {
    super(
        sent
            ? action + " (id " + messageId + ") timed out after " + timeout
            : action + " (id " + messageId + ") was not sent within its queueTimeout of " + timeout
                + " (it waited for a free callConcurrency slot or for a connection)",
        null);
    this.action = action;
    this.messageId = messageId;
    this.timeout = timeout;
    this.sent = sent;
  }

  /** True if the call was sent (its answer may still arrive, late); false if it never went out. */
  public boolean wasSent() {
    return sent;
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
