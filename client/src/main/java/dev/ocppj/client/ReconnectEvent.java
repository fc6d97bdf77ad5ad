package dev.ocppj.client;

import java.time.Duration;

/**
 * A reconnect attempt is scheduled.
 *
 * @param attempt the attempt's number: 1 for the first after a disconnect (the count starts again
 *     after every successful open)
 * @param delay how long the client waits before the attempt
 */
public record ReconnectEvent(int attempt, Duration delay) {}
