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
   * @throws RpcException the CALLERROR a payload that does not fit deserves (a
   *     TypeConstraintViolation, or PropertyConstraintViolation for an unknown enumeration value,
   *     or FormatViolation for a malformed timestamp), so a handler that lets it propagate
   *     answers with it
   */
  public <T> T paramsAs(Class<T> type) {
    return RpcCodec.read(params, type, action + " payload");
  }
}
