package dev.ocppj.client.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the transaction-related messages a client has not yet had answered, so that none is
 * lost when the connection, the CSMS or the JVM goes away. The client appends a message before
 * it sends it and removes it once answered (or given up after the configured attempts); after a
 * restart, {@link #load()} returns what is left, in order, and the client sends it again.
 *
 * <p>Used by one client at a time; implementations need not be thread-safe beyond that (the
 * client calls them from one thread at a time).
 */
public interface TransactionStore extends AutoCloseable {
  /** Adds {@code message}; when this returns, it is as durable as the store promises. */
  void append(StoredMessage message) throws IOException;

  /** Removes the message with {@code sequence} (answered, or given up). */
  void remove(long sequence) throws IOException;

  /** The messages appended and not removed, in sequence order. */
  List<StoredMessage> load() throws IOException;

  @Override
  default void close() throws IOException {}

  /** A store in memory: survives reconnects and CSMS restarts, not a restart of the JVM. */
  static TransactionStore inMemory() {
    return new InMemoryTransactionStore();
  }

  /**
   * A store in the file {@code path} (created if missing): survives a crash or restart of the
   * JVM; see {@link FileTransactionStore} for what {@code fsync} promises.
   */
  static TransactionStore file(Path path, FileTransactionStore.Fsync fsync) throws IOException {
    return new FileTransactionStore(path, fsync);
  }
}
