package dev.ocppj.client.internal.session;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.client.internal.schema.SchemaValidator;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Strict mode as the session applies it: which payloads to check, and what a failure reports. */
final class Strictness {
  private static final Logger log = LoggerFactory.getLogger(Strictness.class);

  private final Session session;

  Strictness(Session session) {
    this.session = session;
  }

  /**
   * Checks {@code payload} if strict mode covers {@code action} on {@code version}.
   *
   * @return null if it passes (or is not checked), else the error it maps to, already reported
   *     to the strictValidationFailure listeners
   */
  RpcException check(
      OcppVersion version,
      RpcPhase phase,
      String action,
      String messageId,
      Role role,
      JsonNode payload) {
    if (!session.options().isStrict(version, action)) {
      return null;
    }
    return SchemaValidator.forVersion(version)
        .validate(action, role, payload)
        .map(
            v -> {
              String what = action + (role == Role.REQUEST ? " request" : " response");
              RpcException error = RpcException.of(v.code(), "invalid " + what + ": " + v.describe(), null);
              log.warn("[{}] strict mode: {} (id {}) {}", session.identity(), phase, messageId, error.description());
              session.listeners().fire(
                  Listeners.Kind.STRICT_VALIDATION_FAILURE,
                  new ValidationFailureEvent(phase, action, messageId, payload, error),
                  ClientListener::onStrictValidationFailure);
              return error;
            })
        .orElse(null);
  }
}
