package dev.ocppj.client.rpc;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.codec.RpcCodec;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A CALL from the CSMS, as a handler sees it.
 *
 * @param messageId the CALL's message id
 * @param action the action, for example {@code Reset}
 * @param params the payload object
 * @param version the OCPP version the connection negotiated
 */
public record IncomingCall(String messageId, String action, JsonNode params, OcppVersion version) {
  public IncomingCall {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(version, "version");
  }

  /**
   * The payload converted to {@code type} with Jackson.
   *
   * @throws RpcException.FormatViolation (spelled for the version) if the payload does not fit
   *     the type, so a handler that lets it propagate answers with that CALLERROR
   */
  public <T> T paramsAs(Class<T> type) {
    try {
      return RpcCodec.mapper().treeToValue(params, type);
    } catch (tools.jackson.core.JacksonException e) {
      throw new RpcException.FormatViolation(
          action + " payload does not fit " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }
}
