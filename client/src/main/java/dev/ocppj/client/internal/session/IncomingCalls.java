package dev.ocppj.client.internal.session;

import dev.ocppj.client.CallOutcome;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.codec.Payloads;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.internal.metrics.CallTracker;
import dev.ocppj.client.internal.runtime.Timers;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * CALLs (and OCPP 2.1 SENDs) from the CSMS on one connection: admission, the middleware, strict
 * mode, the handler, and the answer, which goes back on this connection.
 *
 * <p>A CALL is accepted on the read thread, waits for the answers that arrived before it ({@link
 * InboundOrder}) and for one of {@code handlerConcurrency} slots, then runs on the user executor.
 * Every CALL is answered within {@code handlerTimeout} of its arrival: a handler (or a wait) that
 * takes longer is answered InternalError, frees its message id and its slot, and its late result
 * is dropped. CALLs that wait count towards the inbound backlog, which pauses reading.
 */
final class IncomingCalls {
  private static final Logger log = LoggerFactory.getLogger(IncomingCalls.class);

  private final Session session;
  private final ClientParts parts;
  private final Answers answers;
  /** Message ids of CALLs from the CSMS not yet answered on this connection. */
  private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong waitingBytes = new AtomicLong();
  // Guarded by this: CALLs waiting for a slot, in arrival order; handlers holding a slot.
  private final ArrayDeque<Handling> queue = new ArrayDeque<>();
  private int running;
  private volatile boolean stopped; // written under this; read without it for the metrics

  IncomingCalls(Session session, Answers answers) {
    this.session = session;
    this.parts = session.parts;
    this.answers = answers;
  }

  /** CALLs accepted and not yet handed to their handler. */
  int waiting() {
    return waiting.get();
  }

  /** The text size of the CALLs waiting. */
  long waitingBytes() {
    return waitingBytes.get();
  }

  /**
   * A CALL ({@code answer} true) or SEND from the CSMS. Read thread: it only registers the CALL
   * and hands it on.
   */
  void accept(String messageId, String action, JsonNode params, int size, boolean answer) {
    if (answer && !inProgress.add(messageId)) {
      // The first CALL with this id is still being handled and will be answered; this one is not.
      answers.transmitError(
          messageId,
          null,
          RpcException.of(
              RpcErrorCode.RPC_FRAMEWORK_ERROR,
              "a CALL with message id " + messageId + " is still being processed",
              null));
      return;
    }
    IncomingCall call = new IncomingCall(messageId, action, params, session.version());
    parts.events().fire(Listeners.Kind.CALL, call, ClientListener::onCall);
    Handling h = new Handling(call, answer, size);
    if (parts.metrics().on()) {
      h.tracker = parts.metrics().start(call.version(), Direction.IN, action, messageId);
    }
    waiting.incrementAndGet();
    waitingBytes.addAndGet(size);
    h.timer = parts.timers().schedule(() -> timedOut(h), session.options().handlerTimeout());
    h.gate = parts.order().call(() -> admit(h));
  }

  /** The CALL's turn came: a free slot runs it, else it waits for one. */
  private void admit(Handling h) {
    boolean start = false;
    boolean gone = false;
    synchronized (this) {
      if (!h.answered.get() && !stopped) {
        if (running < session.options().handlerConcurrency()) {
          running++;
          h.slot = true;
          start = true;
        } else {
          queue.addLast(h);
          return;
        }
      }
      gone = stopped;
    }
    if (gone && h.answered.compareAndSet(false, true)) {
      // Its turn came after the connection ended: it can never be answered.
      Timers.cancel(h.timer);
      h.end(CallOutcome.Kind.CLOSED, null);
    }
    leaveWaiting(h);
    if (start) {
      parts.user().execute(h);
    }
  }

  private void leaveWaiting(Handling h) {
    if (h.leftWaiting.compareAndSet(false, true)) {
      waiting.decrementAndGet();
      waitingBytes.addAndGet(-h.size);
      session.maybeResume();
    }
  }

  /** Gives {@code h}'s slot to the next waiting CALL, if it still holds one. */
  private void releaseSlot(Handling h) {
    Handling next = null;
    synchronized (this) {
      if (!h.slot) {
        return;
      }
      h.slot = false;
      running--;
      while (!stopped && !queue.isEmpty() && running < session.options().handlerConcurrency()) {
        Handling candidate = queue.pollFirst();
        if (!candidate.answered.get()) {
          running++;
          candidate.slot = true;
          next = candidate;
          break;
        }
      }
    }
    if (next != null) {
      leaveWaiting(next);
      parts.user().execute(next);
    }
  }

  /** The handler timeout passed: answer InternalError now and free the id and the slot. */
  private void timedOut(Handling h) {
    if (!h.answered.compareAndSet(false, true)) {
      return;
    }
    InboundOrder.Dispatch gate = h.gate;
    if (gate != null) {
      parts.order().expire(gate); // later CALLs must not wait for the same stuck delivery
    }
    synchronized (this) {
      queue.remove(h);
    }
    leaveWaiting(h);
    String why =
        "no answer from the handler for " + h.call.action() + " within handlerTimeout "
            + session.options().handlerTimeout();
    log.warn("[{}] {} (id {}); answering InternalError", session.identity(), why, h.call.messageId());
    if (h.answer) {
      answers.sendError(h.call, new RpcException.InternalError(why));
      inProgress.remove(h.call.messageId());
    }
    h.end(stopped ? CallOutcome.Kind.CLOSED : CallOutcome.Kind.TIMEOUT, null);
    releaseSlot(h);
  }

  /** The connection ended: waiting CALLs are dropped (they cannot be answered any more). */
  void stopped() {
    Handling[] dropped;
    synchronized (this) {
      stopped = true;
      dropped = queue.toArray(new Handling[0]);
      queue.clear();
    }
    for (Handling h : dropped) {
      h.answered.set(true);
      Timers.cancel(h.timer);
      h.end(CallOutcome.Kind.CLOSED, null);
      leaveWaiting(h);
    }
  }

  /** One CALL from its arrival to its answer; run on the user executor once it has a slot. */
  private final class Handling implements Runnable {
    final IncomingCall call;
    final boolean answer;
    final int size;
    final AtomicBoolean answered = new AtomicBoolean();
    final AtomicBoolean leftWaiting = new AtomicBoolean();
    volatile ScheduledFuture<?> timer;
    volatile InboundOrder.Dispatch gate;
    boolean slot; // guarded by the IncomingCalls
    CallTracker tracker; // null without a metrics hook; set before the CALL is handed on

    /** Tells the metrics hook, if any, how the CALL ended; once, by whoever set answered. */
    void end(CallOutcome.Kind kind, String errorCode) {
      if (tracker != null) {
        tracker.end(kind, errorCode);
      }
    }

    Handling(IncomingCall call, boolean answer, int size) {
      this.call = call;
      this.answer = answer;
      this.size = size;
    }

    @Override
    public void run() {
      if (tracker != null) {
        tracker.sent(); // queued: from arrival until the handler starts
      }
      RpcContext ctx =
          new RpcContext(
              RpcPhase.INCOMING_CALL,
              session.identity(),
              call.version(),
              call.action(),
              call.messageId(),
              call.params(),
              null);
      CompletionStage<JsonNode> outcome;
      if (parts.middleware().isEmpty()) {
        outcome = invokeHandler(ctx);
      } else {
        outcome = parts.middleware().execute(ctx, IncomingCalls.this::invokeHandler);
      }
      outcome.whenComplete((result, error) -> finish(this, ctx, result, error));
    }
  }

  private CompletionStage<JsonNode> invokeHandler(RpcContext ctx) {
    CallHandler handler = parts.router().find(ctx.version(), ctx.action());
    if (handler == null) {
      return CompletableFuture.failedFuture(notHandled(ctx.version(), ctx.action()));
    }
    RpcException invalid =
        parts.strictness()
            .check(ctx.version(), RpcPhase.INCOMING_CALL, ctx.action(), ctx.messageId(), Role.REQUEST, ctx.params());
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    Object returned;
    try {
      returned = handler.handle(new IncomingCall(ctx.messageId(), ctx.action(), ctx.params(), ctx.version()));
    } catch (Exception | Error e) {
      return CompletableFuture.failedFuture(e);
    }
    if (returned instanceof CompletionStage<?> stage) {
      return stage.thenApply(value -> toResult(ctx, value));
    }
    try {
      return CompletableFuture.completedFuture(toResult(ctx, returned));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * No handler: OCPP-J's NotSupported for an action the version defines ("recognised but not
   * supported"), NotImplemented for one it does not know.
   */
  private static RpcException notHandled(OcppVersion version, String action) {
    if (StandardActions.defines(version, action)) {
      return new RpcException.NotSupported(action + " is not supported by this charge point");
    }
    return new RpcException.NotImplemented("no handler for action " + action);
  }

  /** A handler's return value as a result payload, or null for {@link CallHandler#NO_REPLY}. */
  private static JsonNode toResult(RpcContext ctx, Object value) {
    if (value == CallHandler.NO_REPLY) {
      return null;
    }
    if (value == null) {
      throw new IllegalStateException(
          "the handler for " + ctx.action() + " returned null; return a result object, a"
              + " CompletionStage of one, or CallHandler.NO_REPLY");
    }
    return Payloads.toObject(value, () -> "the result of the handler for " + ctx.action());
  }

  private void finish(Handling h, RpcContext ctx, JsonNode result, Throwable error) {
    if (!h.answered.compareAndSet(false, true)) {
      log.warn(
          "[{}] the handler for {} (id {}) finished after its handlerTimeout; its late result is dropped",
          session.identity(),
          ctx.action(),
          ctx.messageId());
      releaseSlot(h);
      return;
    }
    Timers.cancel(h.timer);
    CallOutcome.Kind kind = CallOutcome.Kind.NO_REPLY;
    RpcException sentError = null;
    try {
      if (!h.answer) {
        if (error != null) {
          log.warn(
              "[{}] SEND {} (id {}) failed; a SEND gets no answer",
              session.identity(),
              ctx.action(),
              ctx.messageId(),
              Inbound.unwrap(error));
        }
      } else if (error == null && result == null) {
        // NO_REPLY
      } else if (error == null) {
        // Strict mode: an invalid result is not sent; the CALLERROR its violation maps to is.
        RpcException invalid =
            parts.strictness()
                .check(ctx.version(), RpcPhase.OUTGOING_RESULT, ctx.action(), ctx.messageId(), Role.RESPONSE, result);
        if (invalid != null) {
          answers.sendError(h.call, sentError = invalid);
        } else {
          answers.sendResult(ctx.withParams(result));
          kind = CallOutcome.Kind.RESULT;
        }
      } else {
        answers.sendError(h.call, sentError = answers.toRpcError(ctx, Inbound.unwrap(error)));
      }
    } finally {
      if (h.answer) {
        inProgress.remove(ctx.messageId());
      }
      if (h.tracker != null) {
        if (sentError != null) {
          kind = CallOutcome.Kind.ERROR;
        }
        if (stopped && kind != CallOutcome.Kind.NO_REPLY) {
          h.end(CallOutcome.Kind.CLOSED, null); // the connection went before the answer could
        } else {
          h.end(kind, sentError == null ? null : Answers.wireCode(session.version(), sentError));
        }
      }
      releaseSlot(h);
    }
  }
}
