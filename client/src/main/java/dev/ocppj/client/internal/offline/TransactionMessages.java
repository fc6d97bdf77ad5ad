package dev.ocppj.client.internal.offline;

import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.runtime.OcppFuture;
import dev.ocppj.client.internal.runtime.Timers;
import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.store.StoredMessage;
import dev.ocppj.client.store.TransactionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Transaction-related messages (1.6: StartTransaction, StopTransaction, MeterValues with a
 * transaction id; 2.x: TransactionEvent) that must reach the CSMS: each is stored before it is
 * sent, sent one at a time in order whenever a connection is open, sent again after a lost
 * connection, retried after a CALLERROR or a timeout ({@code transactionMessageAttempts} in all,
 * waiting {@code transactionMessageRetryInterval} times the number of attempts so far, as OCPP
 * 1.6 and 2.x describe), and removed from the store once answered or given up.
 *
 * <p>A caller's future completes with the answer; it fails at once if the client is closed (the
 * message stays stored and goes out after the next {@code connect()}), so it never hangs on a
 * client nobody connects again. Messages found in the store at start (a restart) are sent first.
 */
public final class TransactionMessages {
  private static final Logger log = LoggerFactory.getLogger(TransactionMessages.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Sends one attempt as an ordinary call. */
  public interface Sender {
    CompletableFuture<JsonNode> send(OcppVersion version, String action, JsonNode payload);
  }

  private final TransactionStore store;
  private final Supplier<ClientOptions> options;
  private final Supplier<ClientState> state;
  private final Timers timers;
  private final Executor user;
  private Sender sender;

  // Guarded by this.
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private long nextSequence;
  private Entry inFlight;
  private ScheduledFuture<?> retryTimer;

  /** One stored message and, if made in this JVM, its caller's future. */
  private static final class Entry {
    final StoredMessage stored;
    final OcppVersion version;
    final JsonNode payload;
    OcppFuture<JsonNode> future;
    int attempts;

    Entry(StoredMessage stored, OcppVersion version, JsonNode payload, OcppFuture<JsonNode> future) {
      this.stored = stored;
      this.version = version;
      this.payload = payload;
      this.future = future;
    }
  }

  public TransactionMessages(
      TransactionStore store, Supplier<ClientOptions> options, Supplier<ClientState> state, Timers timers,
      Executor user) {
    this.store = store;
    this.options = options;
    this.state = state;
    this.timers = timers;
    this.user = user;
    try {
      for (StoredMessage m : store.load()) {
        queue.add(new Entry(m, versionOf(m.version()), JSON.readTree(m.payload()), null));
        nextSequence = Math.max(nextSequence, m.sequence() + 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the transaction store", e);
    }
    if (!queue.isEmpty()) {
      log.info("{} transaction-related messages from the store wait to be sent", queue.size());
    }
  }

  /** Set once, after the client's outbound part exists. */
  public void sender(Sender sender) {
    this.sender = sender;
  }

  /** True if {@code action} with {@code payload} is transaction-related. */
  public static boolean isTransactionMessage(String action, JsonNode payload) {
    return switch (action) {
      case "StartTransaction", "StopTransaction", "TransactionEvent" -> true;
      case "MeterValues" -> payload.has("transactionId") && !payload.get("transactionId").isNull();
      default -> false;
    };
  }

  /** Messages stored and not yet answered or given up. */
  public synchronized int waiting() {
    return queue.size();
  }

  /**
   * Stores a message and queues it; the future completes with its answer. A 2.x TransactionEvent
   * made while no connection is open is marked {@code offline: true} unless it says otherwise.
   */
  public CompletableFuture<JsonNode> submit(OcppVersion version, String action, JsonNode payload) {
    ClientState st = state.get();
    JsonNode body = payload;
    if (action.equals("TransactionEvent") && st != ClientState.OPEN && !payload.has("offline")) {
      ObjectNode marked = ((ObjectNode) payload).deepCopy();
      marked.put("offline", true);
      body = marked;
    }
    OcppFuture<JsonNode> future = new OcppFuture<>();
    boolean closed;
    Entry toSend;
    synchronized (this) {
      StoredMessage m =
          new StoredMessage(nextSequence++, version == null ? "any" : version.subprotocol(), action, body.toString());
      try {
        store.append(m);
      } catch (IOException e) {
        future.completeExceptionally(new UncheckedIOException(action + " was not sent: the transaction store failed", e));
        return future;
      }
      closed = st == ClientState.CLOSED || st == ClientState.CLOSING;
      queue.add(new Entry(m, version, body, closed ? null : future));
      toSend = next();
    }
    send(toSend);
    if (closed) {
      user.execute(() -> future.completeExceptionally(new ClientClosedException(
          action + " was stored; the client is " + st + ", so it is sent after the next connect()")));
    }
    return future;
  }

  /** A connection opened: the head of the queue goes out. */
  public void opened() {
    Entry e;
    synchronized (this) {
      e = next();
    }
    send(e);
  }

  /**
   * The client closed for good: callers stop waiting (their messages stay stored and go out
   * after the next connect()).
   */
  public void clientClosed(String why) {
    List<OcppFuture<JsonNode>> waiting = new ArrayList<>();
    synchronized (this) {
      for (Entry e : queue) {
        // The one in flight too: its attempt fails with the close, which is not an attempt,
        // so nothing else would complete its caller's future until the next connect().
        if (e.future != null) {
          waiting.add(e.future);
          e.future = null;
        }
      }
      Timers.cancel(retryTimer);
      retryTimer = null;
    }
    for (OcppFuture<JsonNode> f : waiting) {
      user.execute(() -> f.completeExceptionally(new ClientClosedException(
          "transaction-related message stored, not yet answered: " + why + "; it is sent after the next connect()")));
    }
  }

  /**
   * Under the lock: the head, marked in flight, if nothing is in flight, no retry is pending and
   * a connection is open; else null. The caller sends it with {@link #send} once it has let go of
   * the lock: sending runs middleware and the metrics hook, which are user code.
   */
  private Entry next() {
    if (inFlight != null || retryTimer != null || queue.isEmpty() || sender == null
        || state.get() != ClientState.OPEN) {
      return null;
    }
    Entry e = queue.peekFirst();
    inFlight = e;
    return e;
  }

  /** Sends what {@link #next} picked (nothing for null); never under the lock. */
  private void send(Entry e) {
    if (e == null) {
      return;
    }
    CompletableFuture<JsonNode> attempt;
    try {
      attempt = sender.send(e.version, e.stored.action(), e.payload);
    } catch (RuntimeException ex) {
      attempt = CompletableFuture.failedFuture(ex);
    }
    attempt.whenCompleteAsync((value, error) -> outcome(e, value, error), user);
  }

  private void outcome(Entry e, JsonNode value, Throwable error) {
    OcppFuture<JsonNode> done = null;
    Throwable failure = null;
    Entry toSend = null;
    synchronized (this) {
      inFlight = null;
      if (error == null) {
        done = finish(e);
      } else if (notAnAttempt(error)) {
        // The connection went away (or the client closed) before an answer: sent again on the
        // next open, not counted.
        log.debug("{} #{} not answered ({}); sent again after the next open", e.stored.action(),
            e.stored.sequence(), error.toString());
      } else if (++e.attempts >= Math.max(1, options.get().transactionMessageAttempts())) {
        log.warn("{} #{} given up after {} attempts: {}", e.stored.action(), e.stored.sequence(), e.attempts,
            error.toString());
        done = finish(e);
        failure = error;
      } else {
        Duration wait = options.get().transactionMessageRetryInterval().multipliedBy(e.attempts);
        log.info("{} #{} failed ({}); attempt {} in {}", e.stored.action(), e.stored.sequence(), error.toString(),
            e.attempts + 1, wait);
        ClientState now = state.get();
        if (now != ClientState.CLOSED && now != ClientState.CLOSING) {
          retryTimer = timers.schedule(this::retryDue, wait);
        }
        // Closing: no timer (the scheduler may be shut down with the last client and drop it,
        // which would leave retryTimer set and the queue stalled for good); the next open sends it.
      }
      // Without a retry timer (none pending, or no timers: the client is closed) the next goes.
      toSend = next();
    }
    send(toSend);
    if (done != null) {
      if (failure != null) {
        done.completeExceptionally(failure);
      } else {
        done.complete(value);
      }
    }
  }

  private void retryDue() {
    Entry e;
    synchronized (this) {
      retryTimer = null;
      e = next();
    }
    send(e);
  }

  /** Removes the head (answered or given up); its future, to complete outside the lock. */
  private OcppFuture<JsonNode> finish(Entry e) {
    queue.remove(e);
    try {
      store.remove(e.stored.sequence());
    } catch (IOException ex) {
      log.error("cannot remove {} #{} from the transaction store; it may be sent again after a restart",
          e.stored.action(), e.stored.sequence(), ex);
    }
    OcppFuture<JsonNode> f = e.future;
    e.future = null;
    return f;
  }

  private static boolean notAnAttempt(Throwable error) {
    return error instanceof ConnectionClosedException
        || error instanceof ClientClosedException
        || (error instanceof CallTimeoutException t && !t.wasSent());
  }

  private static OcppVersion versionOf(String name) {
    for (OcppVersion v : OcppVersion.values()) {
      if (v.subprotocol().equals(name)) {
        return v;
      }
    }
    return null;
  }
}
