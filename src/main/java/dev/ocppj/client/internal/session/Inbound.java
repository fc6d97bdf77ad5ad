package dev.ocppj.client.internal.session;

import dev.ocppj.client.BadMessageEvent;
import dev.ocppj.client.CallErrorEvent;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.MessageEvent;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.internal.codec.Frame;
import dev.ocppj.client.internal.codec.MalformedFrameException;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.pending.PendingCall;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything that arrives from the CSMS: decoding on the read thread, answers to malformed
 * messages per OCPP-J, delivery of answers to pending calls, and running handlers for CALLs.
 *
 * <p>The read thread only decodes, matches and hands off; handlers, middleware and listeners run
 * on the callback executor. Nothing throws out of {@link #onText}.
 */
final class Inbound {
  private static final Logger log = LoggerFactory.getLogger(Inbound.class);

  /** The OCPP-J description of InternalError, sent when details are not wanted. */
  static final String INTERNAL_ERROR_TEXT =
      "An internal error occurred and the receiver was not able to process the requested action"
          + " successfully";

  private static final String UNREADABLE_ID = "-1";

  private final Session session;

  Inbound(Session session) {
    this.session = session;
  }

  /** One text frame from the link's read thread. */
  void onText(Link link, String text) {
    try {
      dispatch(link, text);
    } catch (RuntimeException | Error e) {
      // A bug of ours must not kill the connection's read thread.
      log.error("[{}] failed to process inbound frame: {}", session.identity(), text, e);
    }
  }

  private void dispatch(Link link, String text) {
    session.listeners().fire(
        Listeners.Kind.MESSAGE, new MessageEvent(Direction.IN, text), ClientListener::onMessage);
    Frame frame;
    try {
      frame = RpcCodec.decode(text);
    } catch (MalformedFrameException e) {
      badMessage(link, text, e);
      return;
    }
    OcppVersion version = link.version;
    if (version != OcppVersion.V2_1
        && (frame instanceof Frame.Send || frame instanceof Frame.CallResultError)) {
      unknownMessageType(link, text, frame.messageType(), frame.messageId());
      return;
    }
    link.consecutiveBadMessages = 0;
    if (frame instanceof Frame.Call call) {
      incomingCall(link, call);
    } else if (frame instanceof Frame.CallResult result) {
      incomingResult(link, result);
    } else if (frame instanceof Frame.CallError error) {
      incomingError(error);
    } else if (frame instanceof Frame.Send send) {
      incomingSend(link, send);
    } else if (frame instanceof Frame.CallResultError error) {
      incomingResultError(error);
    }
  }

  // ---- malformed input

  private void badMessage(Link link, String text, MalformedFrameException e) {
    int type = e.messageType();
    OcppVersion version = link.version;
    if ((type == RpcCodec.CALLRESULTERROR || type == RpcCodec.SEND) && version != OcppVersion.V2_1
        || e.kind() == MalformedFrameException.Kind.UNKNOWN_MESSAGE_TYPE) {
      unknownMessageType(link, text, type, e.messageId());
      return;
    }
    report(link, text, e.getMessage());
    switch (e.kind()) {
      case NOT_JSON, NOT_ARRAY, BAD_MESSAGE_TYPE ->
          // OCPP-J 2.x: a message that is not a valid RPC request gets RpcFrameworkError, with
          // id "-1" when the id cannot be read.
          replyError(link, orUnreadable(e.messageId()), RpcErrorCode.RPC_FRAMEWORK_ERROR, e.getMessage());
      case BAD_MESSAGE_ID -> {
        if (type == RpcCodec.CALL) {
          replyError(link, UNREADABLE_ID, RpcErrorCode.RPC_FRAMEWORK_ERROR, e.getMessage());
        }
      }
      case BAD_STRUCTURE -> {
        if (type == RpcCodec.CALL) {
          replyError(link, e.messageId(), RpcErrorCode.FORMAT_VIOLATION, e.getMessage());
        } else if (type == RpcCodec.CALLRESULT || type == RpcCodec.CALLERROR) {
          // Never answered, but the call it was meant for learns why it got no usable answer.
          PendingCall call = session.pending().take(e.messageId());
          if (call != null) {
            BadMessageException failure =
                new BadMessageException(call + " got a malformed answer: " + e.getMessage(), text);
            session.callbackExecutor().execute(() -> call.answer().completeExceptionally(failure));
            if (type == RpcCodec.CALLRESULT) {
              replyResultError(link, call, RpcErrorCode.FORMAT_VIOLATION, e.getMessage());
            }
          }
        }
      }
      default -> {}
    }
    countBadMessage(link);
  }

  /**
   * A message type number this version does not define. OCPP-J 1.6 (4.1.3) and 2.1 say to
   * ignore it; 2.0.1 answers MessageTypeNotSupported.
   */
  private void unknownMessageType(Link link, String text, int type, String messageId) {
    String why =
        (type < 0 ? "unreadable message type" : "message type " + type)
            + " is not supported under " + link.version;
    report(link, text, why);
    if (link.version == OcppVersion.V2_0_1) {
      replyError(link, orUnreadable(messageId), RpcErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, why);
    }
    countBadMessage(link);
  }

  private void report(Link link, String text, String why) {
    BadMessageException error = new BadMessageException(why, text);
    log.warn("[{}] bad message ({}): {}", session.identity(), why, abbreviate(text));
    session.listeners().fire(
        Listeners.Kind.BAD_MESSAGE,
        new BadMessageEvent(text, error),
        ClientListener::onBadMessage);
  }

  private void countBadMessage(Link link) {
    int count = ++link.consecutiveBadMessages;
    if (count >= session.options().maxBadMessages()) {
      session.closeForBadMessages(link, count);
    }
  }

  private static String orUnreadable(String messageId) {
    return messageId == null ? UNREADABLE_ID : messageId;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  // ---- answers to this client's calls

  private void incomingResult(Link link, Frame.CallResult frame) {
    PendingCall call = session.pending().take(frame.messageId());
    if (call == null) {
      log.warn(
          "[{}] dropping CALLRESULT for unknown message id {} (late, cancelled or never sent)",
          session.identity(),
          frame.messageId());
      return;
    }
    session.callbackExecutor().execute(() -> deliverResult(link, call, frame.payload()));
  }

  private void deliverResult(Link link, PendingCall call, JsonNode payload) {
    session.listeners().fire(
        Listeners.Kind.CALL_RESULT,
        new ResultEvent(Direction.IN, call.messageId(), call.action(), payload),
        ClientListener::onCallResult);
    RpcException invalid =
        session.strictness().check(
            link.version, RpcPhase.INCOMING_RESULT, call.action(), call.messageId(), Role.RESPONSE, payload);
    if (invalid != null) {
      call.answer().completeExceptionally(invalid);
      replyResultError(link, call, invalid.code().orElseThrow(), invalid.description());
      return;
    }
    if (session.middleware().isEmpty()) {
      call.answer().complete(payload);
      return;
    }
    RpcContext ctx = context(RpcPhase.INCOMING_RESULT, call, payload, null);
    complete(call, session.middleware().execute(ctx, c -> CompletableFuture.completedFuture(c.params())));
  }

  private void incomingError(Frame.CallError frame) {
    PendingCall call = session.pending().take(frame.messageId());
    if (call == null) {
      log.warn(
          "[{}] dropping CALLERROR for unknown message id {} (late, cancelled or never sent)",
          session.identity(),
          frame.messageId());
      return;
    }
    RpcException error =
        RpcException.fromWire(
            frame.errorCode(), frame.description(), frame.details(), call + " failed with CALLERROR");
    session.callbackExecutor().execute(() -> deliverError(call, error));
  }

  private void deliverError(PendingCall call, RpcException error) {
    session.listeners().fire(
        Listeners.Kind.CALL_ERROR,
        new CallErrorEvent(Direction.IN, call.messageId(), call.action(), error),
        ClientListener::onCallError);
    if (session.middleware().isEmpty()) {
      call.answer().completeExceptionally(error);
      return;
    }
    RpcContext ctx = context(RpcPhase.INCOMING_ERROR, call, error.details(), error);
    complete(call, session.middleware().execute(ctx, c -> CompletableFuture.failedFuture(c.error())));
  }

  private void complete(PendingCall call, CompletionStage<JsonNode> outcome) {
    outcome.whenComplete(
        (value, error) -> {
          if (error != null) {
            call.answer().completeExceptionally(Session.unwrap(error));
          } else {
            call.answer().complete(value);
          }
        });
  }

  private RpcContext context(RpcPhase phase, PendingCall call, JsonNode params, RpcException error) {
    return new RpcContext(
        phase, session.identity(), currentVersion(), call.action(), call.messageId(), params, error);
  }

  private OcppVersion currentVersion() {
    return session.protocol();
  }

  /**
   * OCPP 2.1: answers a CALLRESULT this client cannot process with a CALLRESULTERROR. Earlier
   * versions have no such message, and a CALLRESULT is never answered with a CALLERROR.
   */
  private void replyResultError(Link link, PendingCall call, RpcErrorCode code, String description) {
    if (link.version != OcppVersion.V2_1) {
      return;
    }
    RpcException error = RpcException.of(code, description, null);
    String text =
        RpcCodec.encodeError(
            RpcCodec.CALLRESULTERROR,
            call.messageId(),
            code.wireName(link.version),
            error.wireDescription(),
            error.details());
    if (link.send(text)) {
      session.listeners().fire(
          Listeners.Kind.CALL_ERROR,
          new CallErrorEvent(Direction.OUT, call.messageId(), call.action(), error),
          ClientListener::onCallError);
    }
  }

  /** OCPP 2.1: the CSMS could not process a CALLRESULT this client sent. */
  private void incomingResultError(Frame.CallResultError frame) {
    RpcException error =
        RpcException.fromWire(
            frame.errorCode(),
            frame.description(),
            frame.details(),
            "the CSMS could not process the CALLRESULT for " + frame.messageId() + ": CALLRESULTERROR");
    log.warn("[{}] {}", session.identity(), error.getMessage());
    session.listeners().fire(
        Listeners.Kind.CALL_ERROR,
        new CallErrorEvent(Direction.IN, frame.messageId(), null, error),
        ClientListener::onCallError);
  }

  /** OCPP 2.1 SEND from the CSMS: handled like a CALL, and never answered. */
  private void incomingSend(Link link, Frame.Send frame) {
    IncomingCall call = new IncomingCall(frame.messageId(), frame.action(), frame.params(), link.version);
    session.listeners().fire(Listeners.Kind.CALL, call, ClientListener::onCall);
    session.callbackExecutor().execute(() -> handle(link, call, false));
  }

  // ---- CALLs from the CSMS

  private void incomingCall(Link link, Frame.Call frame) {
    if (!link.inboundInProgress.add(frame.messageId())) {
      // The first CALL with this id is still being handled and will be answered; this one is not.
      replyError(
          link,
          frame.messageId(),
          RpcErrorCode.RPC_FRAMEWORK_ERROR,
          "a CALL with message id " + frame.messageId() + " is still being processed");
      return;
    }
    IncomingCall call =
        new IncomingCall(frame.messageId(), frame.action(), frame.params(), link.version);
    session.listeners().fire(Listeners.Kind.CALL, call, ClientListener::onCall);
    session.callbackExecutor().execute(() -> handle(link, call, true));
  }

  /**
   * Runs the middleware and the handler for one CALL, then answers it; a SEND ({@code answer}
   * false) gets no answer, and a failure is only logged. Callback executor.
   */
  private void handle(Link link, IncomingCall call, boolean answer) {
    RpcContext ctx =
        new RpcContext(
            RpcPhase.INCOMING_CALL,
            session.identity(),
            call.version(),
            call.action(),
            call.messageId(),
            call.params(),
            null);
    CompletionStage<JsonNode> outcome = session.middleware().execute(ctx, this::invokeHandler);
    if (answer) {
      outcome.whenComplete((result, error) -> answer(link, ctx, result, error));
      return;
    }
    outcome.whenComplete(
        (result, error) -> {
          if (error != null) {
            log.warn(
                "[{}] SEND {} (id {}) failed; a SEND gets no answer",
                session.identity(),
                call.action(),
                call.messageId(),
                Session.unwrap(error));
          }
        });
  }

  private CompletionStage<JsonNode> invokeHandler(RpcContext ctx) {
    CallHandler handler = session.router().find(ctx.version(), ctx.action());
    if (handler == null) {
      return CompletableFuture.failedFuture(
          new RpcException.NotImplemented("no handler for action " + ctx.action()));
    }
    RpcException invalid =
        session.strictness().check(
            ctx.version(), RpcPhase.INCOMING_CALL, ctx.action(), ctx.messageId(), Role.REQUEST, ctx.params());
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    Object returned;
    try {
      returned =
          handler.handle(new IncomingCall(ctx.messageId(), ctx.action(), ctx.params(), ctx.version()));
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

  private void answer(Link link, RpcContext ctx, JsonNode result, Throwable error) {
    try {
      if (error == null && result == null) {
        return; // NO_REPLY
      }
      if (error == null) {
        // Strict mode: an invalid result is not sent; the CALLERROR its violation maps to is.
        RpcException invalid =
            session.strictness().check(
                ctx.version(), RpcPhase.OUTGOING_RESULT, ctx.action(), ctx.messageId(), Role.RESPONSE, result);
        if (invalid != null) {
          sendError(link, ctx, invalid);
        } else {
          sendResult(link, ctx.withParams(result));
        }
      } else {
        sendError(link, ctx, toRpcError(ctx, Session.unwrap(error)));
      }
    } finally {
      link.inboundInProgress.remove(ctx.messageId());
    }
  }

  private RpcException toRpcError(RpcContext ctx, Throwable error) {
    if (error instanceof RpcException rpc) {
      return rpc;
    }
    log.warn(
        "[{}] handler for {} (id {}) failed; answering InternalError",
        session.identity(),
        ctx.action(),
        ctx.messageId(),
        error);
    if (!session.options().respondWithDetailedErrors()) {
      return new RpcException.InternalError(INTERNAL_ERROR_TEXT);
    }
    String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("name", error.getClass().getName());
    details.put("message", message);
    return new RpcException.InternalError(message, details);
  }

  private void sendResult(Link link, RpcContext ctx) {
    sendAnswer(
        link,
        new RpcContext(
            RpcPhase.OUTGOING_RESULT,
            ctx.identity(),
            ctx.version(),
            ctx.action(),
            ctx.messageId(),
            ctx.params(),
            null),
        c -> transmitResult(link, c));
  }

  private void sendError(Link link, RpcContext ctx, RpcException error) {
    sendAnswer(
        link,
        new RpcContext(
            RpcPhase.OUTGOING_ERROR,
            ctx.identity(),
            ctx.version(),
            ctx.action(),
            ctx.messageId(),
            error.details(),
            error),
        c -> transmitError(link, c.messageId(), c.action(), c.error()));
  }

  /**
   * Runs an answer through the outgoing middleware and sends what comes out. As in ocpp-ws-io, a
   * failing middleware does not cost the peer its answer: the unchanged one goes out instead.
   */
  private void sendAnswer(Link link, RpcContext outgoing, Consumer<RpcContext> transmit) {
    AtomicBoolean sent = new AtomicBoolean();
    session
        .middleware()
        .execute(
            outgoing,
            c -> {
              sent.set(true);
              transmit.accept(c);
              return CompletableFuture.completedFuture(c.params());
            })
        .whenComplete(
            (v, e) -> {
              if (e != null && !sent.get()) {
                log.warn(
                    "[{}] middleware failed on the answer to {} (id {}); sending it unchanged",
                    outgoing.identity(),
                    outgoing.action(),
                    outgoing.messageId(),
                    e);
                transmit.accept(outgoing);
              }
            });
  }

  private void transmitResult(Link link, RpcContext c) {
    if (link.send(RpcCodec.encodeResult(c.messageId(), c.params()))) {
      session.listeners().fire(
          Listeners.Kind.CALL_RESULT,
          new ResultEvent(Direction.OUT, c.messageId(), c.action(), c.params()),
          ClientListener::onCallResult);
    }
  }

  /** Answers a malformed or refused message directly: no handler, no middleware. */
  private void replyError(Link link, String messageId, RpcErrorCode code, String description) {
    transmitError(link, messageId, null, RpcException.of(code, description, null));
  }

  private void transmitError(Link link, String messageId, String action, RpcException error) {
    OcppVersion version = link.version;
    // Only codes from the negotiated version's table go out, spelled its way.
    String code =
        error.code().map(c -> c.wireName(version)).orElse(RpcErrorCode.GENERIC_ERROR.wireName(version));
    String text =
        RpcCodec.encodeError(
            RpcCodec.CALLERROR, messageId, code, error.wireDescription(), error.details());
    if (link.send(text)) {
      session.listeners().fire(
          Listeners.Kind.CALL_ERROR,
          new CallErrorEvent(Direction.OUT, messageId, action, error),
          ClientListener::onCallError);
    }
  }
}
