package dev.ocppj.client;

import java.util.Objects;

/**
 * An OCPP action of one version with the types of its messages, such as {@code
 * Ocpp16.BOOT_NOTIFICATION}: what {@link OcppClient#call(OcppAction, Object)} and {@link
 * OcppClient#handle(OcppAction, dev.ocppj.client.rpc.TypedHandler)} need to type a call end to
 * end. The generated descriptor classes ({@code Ocpp16}, {@code Ocpp201}, {@code Ocpp21}) hold
 * one constant per action; {@link #of} makes one for a vendor action.
 *
 * @param <Q> the request type
 * @param <R> the response type ({@link Void} for a SEND message, which is never answered)
 */
public final class OcppAction<Q, R> {
  private final OcppVersion version;
  private final String name;
  private final Class<Q> requestType;
  private final Class<R> responseType;
  private final boolean send;

  private OcppAction(
      OcppVersion version, String name, Class<Q> requestType, Class<R> responseType, boolean send) {
    this.version = Objects.requireNonNull(version, "version");
    this.name = Objects.requireNonNull(name, "name");
    this.requestType = Objects.requireNonNull(requestType, "requestType");
    this.responseType = Objects.requireNonNull(responseType, "responseType");
    this.send = send;
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
  }

  /** A request/response action: a CALL answered by a CALLRESULT or CALLERROR. */
  public static <Q, R> OcppAction<Q, R> of(
      OcppVersion version, String name, Class<Q> requestType, Class<R> responseType) {
    return new OcppAction<>(version, name, requestType, responseType, false);
  }

  /** An OCPP 2.1 SEND message: sent once, never answered. */
  public static <Q> OcppAction<Q, Void> send(OcppVersion version, String name, Class<Q> type) {
    return new OcppAction<>(version, name, type, Void.class, true);
  }

  /** The OCPP version the action belongs to. */
  public OcppVersion version() {
    return version;
  }

  /** The action name as it goes over the wire, for example {@code BootNotification}. */
  public String name() {
    return name;
  }

  /** The request (or SEND message) type. */
  public Class<Q> requestType() {
    return requestType;
  }

  /** The response type; {@link Void} for a SEND message. */
  public Class<R> responseType() {
    return responseType;
  }

  /** True for an OCPP 2.1 SEND message, which has no response. */
  public boolean isSend() {
    return send;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OcppAction<?, ?> other
        && version == other.version
        && name.equals(other.name)
        && requestType == other.requestType
        && responseType == other.responseType;
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, name);
  }

  @Override
  public String toString() {
    return version + " " + name;
  }
}
