package dev.ocppj.client;

import java.time.Duration;

/**
 * How a call ended, for {@link ClientMetrics}.
 *
 * @param kind what happened
 * @param errorCode the CALLERROR code as sent or received (for {@link Kind#ERROR}; for an answer
 *     the client could not use, the code it would reply with, e.g. FormatViolation), else null
 * @param queued an outgoing call: from {@code call()} until it was sent (zero if it never
 *     waited, its whole life if it was never sent); an incoming call: from its arrival until its
 *     handler started
 * @param duration from {@code call()} (outgoing) or the CALL's arrival (incoming) to the end
 */
public record CallOutcome(Kind kind, String errorCode, Duration queued, Duration duration) {
  /** What ended a call. */
  public enum Kind {
    /** Answered with a CALLRESULT (received, or sent by a handler). */
    RESULT,
    /** Answered with a CALLERROR (received, or sent for an incoming call). */
    ERROR,
    /** No answer in time: the call timeout, the queue timeout, or a handler's timeout. */
    TIMEOUT,
    /** The connection closed, or the client was closed, before the answer. */
    CLOSED,
    /**
     * Refused locally (queue full, strict-mode violation) or cancelled; a call cancelled after it
     * was sent is REJECTED too (its {@code queued} is then shorter than its {@code duration}).
     */
    REJECTED,
    /** An incoming call the handler chose not to answer (or a 2.1 SEND, never answered). */
    NO_REPLY
  }
}
