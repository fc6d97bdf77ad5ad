package dev.ocppj.client.internal.pending;

import dev.ocppj.client.OcppVersion;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import tools.jackson.databind.JsonNode;

/**
 * One outgoing CALL from the moment it is submitted until it is answered, fails or is cancelled.
 * Whoever removes it from {@link PendingCalls} completes {@link #answer()}, exactly once.
 */
public final class PendingCall {
  /** Where the call is. */
  enum Stage {
    /** Waiting behind {@code callConcurrency}; unsent, no timeout running. */
    QUEUED,
    /** Holds an in-flight slot and its timeout runs, but no connection was open to send it. */
    ADMITTED,
    /** Sent; waiting for the answer. */
    SENT,
    /** Removed: answered, failed or cancelled. */
    DONE
  }

  private final String messageId;
  private final String action;
  private final OcppVersion version;
  private final String frame;
  private final JsonNode params;
  private final Duration timeout;
  private final CompletableFuture<JsonNode> answer = new CompletableFuture<>();

  // Guarded by the PendingCalls lock.
  Stage stage = Stage.QUEUED;
  ScheduledFuture<?> timer;
  long sentAtNanos;
  // Set by a Sender that refuses the call; read under the PendingCalls lock.
  RuntimeException rejection;

  /**
   * Creates a call.
   *
   * @param version the version the call was made for, or null for any; the sender checks it
   * @param frame the encoded CALL, ready to send
   * @param params the params the frame carries, for strict mode
   */
  public PendingCall(
      String messageId,
      String action,
      OcppVersion version,
      String frame,
      JsonNode params,
      Duration timeout) {
    this.messageId = messageId;
    this.action = action;
    this.version = version;
    this.frame = frame;
    this.params = params;
    this.timeout = timeout;
  }

  /** The params the frame carries. */
  public JsonNode params() {
    return params;
  }

  public String messageId() {
    return messageId;
  }

  public String action() {
    return action;
  }

  /** The version the call was made for, or null if it fits any. */
  public OcppVersion version() {
    return version;
  }

  /** The encoded CALL frame. */
  public String frame() {
    return frame;
  }

  public Duration timeout() {
    return timeout;
  }

  /** When the frame was sent ({@link System#nanoTime()}), for latency figures; 0 if not sent. */
  public long sentAtNanos() {
    return sentAtNanos;
  }

  /**
   * Completes with the CALLRESULT payload, or fails with the call's error. Completed by the
   * party that removed the call from the registry, on the callback executor.
   */
  public CompletableFuture<JsonNode> answer() {
    return answer;
  }

  /** Called by a {@link PendingCalls.Sender} that refuses to send this call, before it returns. */
  public void reject(RuntimeException reason) {
    this.rejection = reason;
  }

  @Override
  public String toString() {
    return action + " (id " + messageId + ")";
  }
}
