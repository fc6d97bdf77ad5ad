package dev.ocppj.examples.simulator;

import dev.ocppj.client.Transport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * This JVM's thread peak and heap in use at the end of a run, and what they come to per charge
 * point: the cost of the charge points (and of the embedded CSMS, when it runs in this JVM too).
 *
 * @param transport the charge points' WebSocket engine, as {@code --transport} spells it
 * @param peakThreads the JVM's live threads at their peak
 * @param heapUsedBytes heap in use
 * @param heapCommittedBytes heap committed
 * @param liveHeapBytesPerChargePoint heap still held after a collection, less what was held
 *     before the charge points were made, per charge point
 */
record JvmFigures(String transport, int peakThreads, long heapUsedBytes, long heapCommittedBytes,
    double liveHeapBytesPerChargePoint) {

  /** Measures now, after a collection; {@code heapBefore} is {@link #usedHeap()} from before the run. */
  static JvmFigures measure(int chargePoints, Transport transport, long heapBefore) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    int threads = ManagementFactory.getThreadMXBean().getPeakThreadCount();
    long live = usedHeap(); // after a collection: what the run still holds, charge points included
    return new JvmFigures(transport.name().toLowerCase(Locale.ROOT).replace('_', '-'), threads,
        heap.getUsed(), heap.getCommitted(), Math.max(0, live - heapBefore) / (double) chargePoints);
  }

  /** The heap in use after a collection. */
  static long usedHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The summary's line (threads and heap per charge point need the run's charge point count). */
  String describe(int chargePoints) {
    return String.format(
        "JVM (%s): %d threads at peak (%.2f per charge point), %d MiB heap in use of %d MiB committed;"
            + " live heap %.1f KiB per charge point",
        transport, peakThreads, peakThreads / (double) chargePoints, heapUsedBytes >> 20, heapCommittedBytes >> 20,
        liveHeapBytesPerChargePoint / 1024.0);
  }
}
