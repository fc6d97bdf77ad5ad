package dev.ocppj.client;

import dev.ocppj.client.rpc.Direction;

/**
 * A call as {@link ClientMetrics} sees it.
 *
 * @param identity the client's identity
 * @param version the OCPP version the call is for, or null when it was made before any version
 *     was negotiated and was not made for one
 * @param direction {@link Direction#OUT} for a call this client makes, {@link Direction#IN} for
 *     one from the CSMS
 * @param action the action, e.g. {@code BootNotification}
 * @param messageId the message id
 */
public record CallInfo(String identity, OcppVersion version, Direction direction, String action, String messageId) {}
