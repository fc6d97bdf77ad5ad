package dev.ocppj.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** Frames from the charge points, in arrival order, taken by blocking, bounded waits. */
final class FrameQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Frame> frames = new ArrayList<>();

  void add(Frame f) {
    lock.lock();
    try {
      frames.add(f);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns the first frame that matches, waiting at most {@code timeout}; null if none came. */
  Frame take(Predicate<Frame> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        for (Iterator<Frame> it = frames.iterator(); it.hasNext(); ) {
          Frame f = it.next();
          if (match.test(f)) {
            it.remove();
            return f;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** The frames not taken yet. */
  List<Frame> pending() {
    lock.lock();
    try {
      return new ArrayList<>(frames);
    } finally {
      lock.unlock();
    }
  }
}
