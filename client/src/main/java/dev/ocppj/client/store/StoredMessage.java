package dev.ocppj.client.store;

import java.util.Objects;

/**
 * A transaction-related message kept until the CSMS answers it.
 *
 * @param sequence its place in the order of all messages of the store (increasing, never reused)
 * @param version the OCPP version it is meant for ({@code ocpp1.6}, {@code ocpp2.0.1}, {@code
 *     ocpp2.1})
 * @param action the action, for example {@code StopTransaction} or {@code TransactionEvent}
 * @param payload the request's JSON object, as text
 */
public record StoredMessage(long sequence, String version, String action, String payload) {
  public StoredMessage {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(payload, "payload");
  }
}
