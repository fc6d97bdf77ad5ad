package dev.ocppj.client;

import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import tools.jackson.databind.JsonNode;

/**
 * Strict mode found a payload that its OCA schema rejects.
 *
 * @param phase which message failed: {@code OUTGOING_CALL} (not sent), {@code INCOMING_CALL}
 *     (answered with a CALLERROR), {@code OUTGOING_RESULT} (replaced by a CALLERROR) or {@code
 *     INCOMING_RESULT} (its call failed)
 * @param action the action
 * @param messageId the message id
 * @param payload the rejected payload
 * @param error the error it maps to: its code is the OCPP code for the violated rule, its
 *     description names the JSON pointer, the rule and the schema
 */
public record ValidationFailureEvent(
    RpcPhase phase, String action, String messageId, JsonNode payload, RpcException error) {}
