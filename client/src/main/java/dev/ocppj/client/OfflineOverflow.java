package dev.ocppj.client;

/** What a full offline queue does with one more call (see {@code offlineQueue}). */
public enum OfflineOverflow {
  /** The new call fails at once with {@code CallQueueFullException}. */
  REJECT_NEW,
  /** The oldest waiting call fails with {@code CallQueueFullException}, and the new one waits. */
  DROP_OLDEST
}
