package dev.ocppj.client.internal.session;

import dev.ocppj.client.internal.runtime.OcppFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The one ordering promise between a client's answers and the CSMS's CALLs: an answer's future is
 * completed, and the stages chained on it have run, before the handler of a CALL that arrived
 * after that answer starts. Answers never wait for anything: each is delivered at once on the
 * user executor. Only a CALL's dispatch waits, for the deliveries of earlier answers, and not for
 * ever: a delivery that starts waiting on another call's future releases its hold (see {@link
 * OcppFuture}), and a CALL whose handler timeout passes while it waits releases every hold ahead
 * of it.
 *
 * <p>Entries are added by the connection's read thread; deliveries and dispatches report back from
 * user threads. Short critical sections, no user code under the lock.
 */
public final class InboundOrder {
  private final Executor userExecutor;
  // Guarded by this: arrival order of answers still being delivered and CALLs still waiting.
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  public InboundOrder(Executor userExecutor) {
    this.userExecutor = userExecutor;
  }

  /** An answer being delivered, or a CALL waiting for its turn. */
  abstract static class Entry {
    // Guarded by the InboundOrder: an answer delivered (or released), a CALL dispatched.
    boolean released;
  }

  /** An answer's delivery, run on the user executor. */
  abstract static class Delivery extends Entry implements Runnable {
    private InboundOrder order;

    /** Completes the call's future: runs user continuations. */
    abstract void deliver();

    /** The future the delivery completes. */
    abstract OcppFuture<?> future();

    @Override
    public final void run() {
      try {
        OcppFuture.runNotingBlocking(this::deliver, () -> order.release(this));
      } finally {
        order.release(this);
      }
    }
  }

  /** A CALL's dispatch; runs once every earlier answer was delivered. */
  static final class Dispatch extends Entry {
    private final Runnable dispatch;

    Dispatch(Runnable dispatch) {
      this.dispatch = dispatch;
    }
  }

  /**
   * Delivers an answer on the thread blocked waiting for it, if one is, else on the user
   * executor: one wake-up either way. Read thread.
   */
  void answer(Delivery delivery) {
    delivery.order = this;
    synchronized (this) {
      entries.addLast(delivery);
    }
    if (!delivery.future().offerToWaiter(delivery)) {
      userExecutor.execute(delivery);
    }
  }

  /**
   * Runs {@code dispatch} (library work: it hands the CALL to its handler slot) once the answers
   * that arrived before it were delivered; at once if none is outstanding. Read thread.
   *
   * @return the waiting entry, for {@link #expire}; null if it ran at once
   */
  Dispatch call(Runnable dispatch) {
    Dispatch d;
    synchronized (this) {
      if (entries.isEmpty()) {
        d = null;
      } else {
        d = new Dispatch(dispatch);
        entries.addLast(d);
      }
    }
    if (d == null) {
      dispatch.run();
    }
    return d;
  }

  /**
   * A waiting CALL's handler timeout passed: every hold ahead of it is released (the deliveries
   * still running lose their ordering), so that later CALLs do not wait for them too.
   */
  void expire(Dispatch waiting) {
    List<Runnable> ready;
    synchronized (this) {
      if (waiting.released) {
        return;
      }
      for (Entry e : entries) {
        if (e == waiting) {
          break;
        }
        if (e instanceof Delivery) {
          e.released = true;
        }
      }
      ready = drain();
    }
    run(ready);
  }

  private void release(Delivery delivery) {
    List<Runnable> ready;
    synchronized (this) {
      if (delivery.released) {
        return; // released before (it blocked, or a CALL behind it expired); drained then
      }
      delivery.released = true;
      ready = drain();
    }
    run(ready);
  }

  /** Removes released entries from the head, collecting the CALLs whose turn came. Under lock. */
  private List<Runnable> drain() {
    List<Runnable> ready = null;
    while (!entries.isEmpty()) {
      Entry head = entries.peekFirst();
      if (head instanceof Dispatch d) {
        d.released = true;
        if (ready == null) {
          ready = new ArrayList<>(2);
        }
        ready.add(d.dispatch);
      } else if (!head.released) {
        break;
      }
      entries.pollFirst();
    }
    return ready;
  }

  private static void run(List<Runnable> ready) {
    if (ready != null) {
      for (Runnable r : ready) {
        r.run();
      }
    }
  }

  /** Entries still held (for tests). */
  synchronized int size() {
    return entries.size();
  }
}
