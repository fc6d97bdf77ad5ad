package dev.ocppj.client.internal.outbound;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids for one client: a random prefix per client and a counter, so ids never repeat on a
 * connection (or across its reconnects), stay far below OCPP-J's 36 characters, and cost no
 * secure random per call.
 */
final class MessageIds {
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  MessageIds() {
    // 8 base-36 digits: 2.8e12 values, so two clients (or restarts) rarely share a prefix.
    long r = ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36 * 36 * 36);
    StringBuilder sb = new StringBuilder(Long.toString(r, 36));
    while (sb.length() < 8) {
      sb.insert(0, '0');
    }
    this.prefix = sb.append('-').toString();
  }

  /** The next id, at most 22 characters. */
  String next() {
    return prefix + Long.toString(counter.incrementAndGet(), 36);
  }
}
