package dev.ocppj.client.internal.events;

import dev.ocppj.client.BadMessageEvent;
import dev.ocppj.client.CallErrorEvent;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.MessageEvent;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.ReconnectEvent;
import dev.ocppj.client.Registration;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.client.internal.runtime.SerialExecutor;
import dev.ocppj.client.rpc.IncomingCall;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's listeners and the in-order delivery of its events on the user executor. An event is
 * only built when some listener overrides its method, so frequent events nobody listens to cost
 * one volatile read. After the final close event of a {@code connect()}, nothing more is
 * delivered until the next {@code connect()}.
 */
public final class Listeners {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  /** The listener methods, in the order of the interest bits. */
  public enum Kind {
    CONNECTING("onConnecting", URI.class),
    OPEN("onOpen", OpenEvent.class),
    DISCONNECT("onDisconnect", CloseEvent.class),
    CLOSE("onClose", CloseEvent.class),
    ERROR("onError", Throwable.class),
    MESSAGE("onMessage", MessageEvent.class),
    CALL("onCall", IncomingCall.class),
    CALL_RESULT("onCallResult", ResultEvent.class),
    CALL_ERROR("onCallError", CallErrorEvent.class),
    BAD_MESSAGE("onBadMessage", BadMessageEvent.class),
    STRICT_VALIDATION_FAILURE("onStrictValidationFailure", ValidationFailureEvent.class),
    RECONNECT("onReconnect", ReconnectEvent.class),
    PING("onPing", OpenEvent.class),
    PONG("onPong", OpenEvent.class),
    PONG_TIMEOUT("onPongTimeout", OpenEvent.class);

    final String method;
    final Class<?> parameter;

    Kind(String method, Class<?> parameter) {
      this.method = method;
      this.parameter = parameter;
    }
  }

  private final String identity;
  private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
  private final SerialExecutor serial;
  private volatile int interest;
  // Guarded by this: false from the final close event until the next connect(), whose
  // generation this is.
  private boolean accepting = true;
  private long generation;

  private record Entry(ClientListener listener, int interest) {}

  public Listeners(String identity, Executor userExecutor) {
    this.identity = identity;
    this.serial = new SerialExecutor(userExecutor);
  }

  public Registration add(ClientListener listener) {
    Objects.requireNonNull(listener, "listener");
    Entry e = new Entry(listener, interestOf(listener.getClass()));
    entries.add(e);
    recompute();
    return () -> {
      if (entries.remove(e)) {
        recompute();
      }
    };
  }

  private void recompute() {
    int bits = 0;
    for (Entry e : entries) {
      bits |= e.interest;
    }
    interest = bits;
  }

  private static int interestOf(Class<?> type) {
    int bits = 0;
    for (Kind k : Kind.values()) {
      try {
        Method m = type.getMethod(k.method, k.parameter);
        if (m.getDeclaringClass() != ClientListener.class) {
          bits |= 1 << k.ordinal();
        }
      } catch (NoSuchMethodException e) {
        throw new AssertionError(e);
      }
    }
    return bits;
  }

  /** True if some listener overrides {@code kind}'s method. */
  public boolean wants(Kind kind) {
    return (interest & (1 << kind.ordinal())) != 0;
  }

  /** Delivers {@code event} to every listener that overrides {@code kind}'s method, in order. */
  public <E> void fire(Kind kind, E event, BiConsumer<ClientListener, E> method) {
    if (!wants(kind)) {
      return;
    }
    boolean drain;
    synchronized (this) {
      if (!accepting) {
        return;
      }
      drain = serial.enqueue(() -> deliver(kind, event, method));
    }
    if (drain) {
      serial.scheduleDrain(); // the user's executor: never called under our lock
    }
  }

  /**
   * Delivers the final close event of the {@code connect()} of {@code generation}; until the
   * next {@link #reopen()}, later events are dropped, so that the close is the last thing
   * listeners hear of it. (If a new connect() already reopened, its events are kept.)
   */
  public void fireFinal(CloseEvent event, long generation) {
    boolean wanted = wants(Kind.CLOSE);
    boolean drain = false;
    synchronized (this) {
      if (generation == this.generation) {
        accepting = false;
      }
      if (wanted) {
        drain = serial.enqueue(() -> deliver(Kind.CLOSE, event, ClientListener::onClose));
      }
    }
    if (drain) {
      serial.scheduleDrain();
    }
  }

  /** Accepts events again, for a new {@code connect()}; returns that connect's generation. */
  public synchronized long reopen() {
    accepting = true;
    return ++generation;
  }

  private <E> void deliver(Kind kind, E event, BiConsumer<ClientListener, E> method) {
    int bit = 1 << kind.ordinal();
    for (Entry e : entries) {
      if ((e.interest & bit) == 0) {
        continue;
      }
      try {
        method.accept(e.listener, event);
      } catch (RuntimeException | Error ex) {
        log.warn("[{}] listener {} threw from {}", identity, e.listener, kind.method, ex);
      }
    }
  }

  /**
   * Runs {@code task} after every event fired so far has been delivered, on the user executor;
   * not in the events' own line, so a task that blocks does not hold the events back.
   */
  public void afterEvents(Executor userExecutor, Runnable task) {
    serial.execute(() -> userExecutor.execute(task));
  }

  /** Events fired and not yet delivered. */
  public int backlog() {
    return serial.backlog();
  }

  /** Runs after each batch of deliveries (a chance to resume reading once listeners caught up). */
  public void afterBatch(Runnable hook) {
    serial.afterBatch(hook);
  }
}
