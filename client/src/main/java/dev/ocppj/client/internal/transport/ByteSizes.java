package dev.ocppj.client.internal.transport;

/** A FIFO of frame sizes and their sum; not thread-safe. */
final class ByteSizes {
  private int[] sizes = new int[16];
  private int head;
  private int count;
  private long total;

  void add(int bytes) {
    if (count == sizes.length) {
      int[] grown = new int[sizes.length * 2];
      for (int i = 0; i < count; i++) {
        grown[i] = sizes[(head + i) % sizes.length];
      }
      sizes = grown;
      head = 0;
    }
    sizes[(head + count) % sizes.length] = bytes;
    count++;
    total += bytes;
  }

  /** Forgets the oldest sizes until at most {@code remaining} are left. */
  void trimTo(int remaining) {
    while (count > remaining && count > 0) {
      total -= sizes[head];
      head = (head + 1) % sizes.length;
      count--;
    }
  }

  long total() {
    return total;
  }
}
