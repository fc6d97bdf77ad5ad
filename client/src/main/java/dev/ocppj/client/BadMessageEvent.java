package dev.ocppj.client;

import dev.ocppj.client.rpc.BadMessageException;

/**
 * The server sent a frame the client cannot use.
 *
 * @param message the frame's text as received
 * @param error what is wrong with it
 */
public record BadMessageEvent(String message, BadMessageException error) {}
