package dev.ocppj.client.internal.session;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.internal.codec.Frame;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
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
 * CALLs (and OCPP 2.1 SENDs) from the CSMS: the middleware, strict mode, the handler, and the
 * answer, which goes back on the connection the CALL came in on. Runs on the callback executor;
 * the read thread only hands a CALL over.
 */
final class IncomingCalls {
  private static final Logger log = LoggerFactory.getLogger(IncomingCalls.class);

  /** The OCPP-J description of InternalError, sent when details are not wanted. */
  static final String INTERNAL_ERROR_TEXT =
      "An internal error occurred and the receiver was not able to process the requested action"
          + " successfully";

  private final Session session;
  private final Inbound inbound;

  IncomingCalls(Session session, Inbound inbound) {
    this.session = session;
    this.inbound = inbound;
  }

  /** OCPP 2.1 SEND from the CSMS: handled like a CALL, and never answered. */
  void incomingSend(Link link, Frame.Send frame) {
    IncomingCall call = new IncomingCall(frame.messageId(), frame.action(), frame.params(), link.version);
    session.listeners().fire(Listeners.Kind.CALL, call, ClientListener::onCall);
    dispatch(() -> handle(link, call, false));
  }

  void incomingCall(Link link, Frame.Call frame) {
    if (!link.inboundInProgress.add(frame.messageId())) {
      // The first CALL with this id is still being handled and will be answered; this one is not.
      inbound.replyError(
          link,
          frame.messageId(),
          RpcErrorCode.RPC_FRAMEWORK_ERROR,
          "a CALL with message id " + frame.messageId() + " is still being processed");
      return;
    }
    IncomingCall call =
        new IncomingCall(frame.messageId(), frame.action(), frame.params(), link.version);
    session.listeners().fire(Listeners.Kind.CALL, call, ClientListener::onCall);
    dispatch(() -> handle(link, call, true));
  }

  /** Hands a CALL to the callback executor once the frames that arrived before it took effect. */
  private void dispatch(Runnable handling) {
    session.inboundOrder().execute(() -> session.callbackExecutor().execute(handling));
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
        c -> inbound.transmitError(link, c.messageId(), c.action(), c.error()));
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
}
