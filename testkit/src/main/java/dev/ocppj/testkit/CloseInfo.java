package dev.ocppj.testkit;

/**
 * How a charge point's connection closed, as the CSMS saw it.
 *
 * @param code the WebSocket close code (1006 when the TCP connection dropped)
 * @param reason the close reason
 * @param remote true if the charge point closed
 */
public record CloseInfo(int code, String reason, boolean remote) {}
