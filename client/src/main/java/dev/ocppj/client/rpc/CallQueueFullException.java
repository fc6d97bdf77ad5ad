package dev.ocppj.client.rpc;

/**
 * A call was refused at once, unsent, because {@code maxQueuedCalls} calls were already waiting
 * to be sent (behind {@code callConcurrency}, or for a connection), or the offline queue was
 * full; or, with {@code OfflineOverflow.DROP_OLDEST}, a waiting call was dropped to make room.
 */
public final class CallQueueFullException extends OcppException {
  private final String action;
  private final int limit;

  /** The call {@code action} found {@code limit} calls waiting. */
  public CallQueueFullException(String action, int limit) {
    super(
        action + " was not sent: " + limit + " calls are already waiting to be sent (maxQueuedCalls "
            + limit + ")",
        null);
    this.action = action;
    this.limit = limit;
  }

  /** The call {@code action} was refused or dropped, as {@code message} says. */
  public CallQueueFullException(String action, int limit, String message) {
    super(message, null);
    this.action = action;
    this.limit = limit;
  }

  /** The action of the refused call. */
  public String action() {
    return action;
  }

  /** The {@code maxQueuedCalls} in force. */
  public int limit() {
    return limit;
  }
}
