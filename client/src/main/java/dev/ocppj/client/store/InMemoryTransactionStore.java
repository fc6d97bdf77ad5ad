package dev.ocppj.client.store;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** {@link TransactionStore#inMemory()}. */
final class InMemoryTransactionStore implements TransactionStore {
  private final TreeMap<Long, StoredMessage> messages = new TreeMap<>();

  @Override
  public synchronized void append(StoredMessage message) {
    messages.put(message.sequence(), message);
  }

  @Override
  public synchronized void remove(long sequence) {
    messages.remove(sequence);
  }

  @Override
  public synchronized List<StoredMessage> load() {
    return new ArrayList<>(messages.values());
  }
}
