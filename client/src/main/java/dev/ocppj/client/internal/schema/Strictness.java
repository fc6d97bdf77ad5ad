package dev.ocppj.client.internal.schema;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Strict mode as a client applies it: which payloads to check, and what a failure reports. */
public final class Strictness {
  private static final Logger log = LoggerFactory.getLogger(Strictness.class);

  private final Supplier<ClientOptions> options;
  private final Listeners events;

  public Strictness(Supplier<ClientOptions> options, Listeners events) {
    this.options = options;
    this.events = events;
  }

  /**
   * Checks {@code payload} if strict mode covers {@code action} on {@code version}.
   *
   * @return null if it passes (or is not checked), else the error it maps to, already reported
   *     to the strictValidationFailure listeners
   */
  public RpcException check(
      OcppVersion version,
      RpcPhase phase,
      String action,
      String messageId,
      Role role,
      JsonNode payload) {
    ClientOptions o = options.get();
    if (!o.isStrict(version, action)) {
      return null;
    }
    return SchemaValidator.forVersion(version)
        .validate(action, role, payload)
        .map(
            v -> {
              String what = action + (role == Role.REQUEST ? " request" : " response");
              RpcException error = RpcException.of(v.code(), "invalid " + what + ": " + v.describe(), null);
              log.warn("[{}] strict mode: {} (id {}) {}", o.identity(), phase, messageId, error.description());
              events.fire(
                  Listeners.Kind.STRICT_VALIDATION_FAILURE,
                  new ValidationFailureEvent(phase, action, messageId, payload, error),
                  ClientListener::onStrictValidationFailure);
              return error;
            })
        .orElse(null);
  }
}
