package dev.ocppj.client;

import dev.ocppj.client.rpc.Direction;

/**
 * One WebSocket text frame, sent or received, exactly as it went over the wire.
 *
 * @param direction whether it was received or sent
 * @param text the frame's text
 */
public record MessageEvent(Direction direction, String text) {}
