package dev.ocppj.client.rpc;

import dev.ocppj.client.OcppVersion;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link Middleware} sees of one message. Immutable: to change a message, proceed with a
 * copy made by {@link #withParams(JsonNode)} or {@link #withError(RpcException)}.
 *
 * @param phase where in the exchange the message is
 * @param identity the charge point's identity
 * @param version the negotiated version; null for an outgoing call made before the connection
 *     opened
 * @param action the action of the CALL the message belongs to
 * @param messageId the CALL's message id
 * @param params the CALL params, or the CALLRESULT payload, or for the error phases the error's
 *     details
 * @param error the CALLERROR, in the two error phases; null otherwise
 */
public record RpcContext(
    RpcPhase phase,
    String identity,
    OcppVersion version,
    String action,
    String messageId,
    JsonNode params,
    RpcException error) {
  public RpcContext {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(params, "params");
  }

  /** A copy with other params (or payload). */
  public RpcContext withParams(JsonNode params) {
    return new RpcContext(phase, identity, version, action, messageId, params, error);
  }

  /** A copy with another error, for the error phases. */
  public RpcContext withError(RpcException error) {
    return new RpcContext(phase, identity, version, action, messageId, error.details(), error);
  }
}
