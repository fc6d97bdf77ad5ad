package dev.ocppj.client;

import dev.ocppj.client.rpc.Direction;
import tools.jackson.databind.JsonNode;

/**
 * A CALLRESULT: received for one of this client's calls, or sent by a handler.
 *
 * @param direction IN for an answer to this client's call, OUT for a handler's answer
 * @param messageId the message id of the CALL it answers
 * @param action the action of that CALL
 * @param payload the result payload
 */
public record ResultEvent(Direction direction, String messageId, String action, JsonNode payload) {}
