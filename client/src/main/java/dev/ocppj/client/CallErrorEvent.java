package dev.ocppj.client;

import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.RpcException;

/**
 * A CALLERROR: received for one of this client's calls, or sent for a call that failed here
 * (also the answer to a malformed message).
 *
 * @param direction IN for an answer to this client's call, OUT for an answer this client sent
 * @param messageId the message id of the CALL it answers ({@code "-1"} when that was unreadable)
 * @param action the action of that CALL; null when unknown
 * @param error the error: {@code code()} is its code; for a received error {@code wireCode()} is
 *     the spelling as received, for a sent one the code went out spelled for the negotiated
 *     version
 */
public record CallErrorEvent(
    Direction direction, String messageId, String action, RpcException error) {}
