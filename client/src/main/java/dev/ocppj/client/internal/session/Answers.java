package dev.ocppj.client.internal.session;

import dev.ocppj.client.CallErrorEvent;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answers to the CSMS's calls on one connection: CALLRESULTs and CALLERRORs through the
 * outgoing middleware, with the negotiated version's error codes, reported to the listeners once
 * sent. Called from whichever thread finished a handler (or from the read thread, for malformed
 * input); never blocks.
 */
final class Answers {
  private static final Logger log = LoggerFactory.getLogger(Answers.class);

  /** The OCPP-J description of InternalError, sent when details are not wanted. */
  static final String INTERNAL_ERROR_TEXT =
      "An internal error occurred and the receiver was not able to process the requested action"
          + " successfully";

  private final Session session;
  private final ClientParts parts;

  Answers(Session session) {
    this.session = session;
    this.parts = session.parts;
  }

  /** The CALLERROR a handler's failure is answered with. */
  RpcException toRpcError(RpcContext ctx, Throwable error) {
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

  void sendResult(RpcContext ctx) {
    sendAnswer(
        new RpcContext(
            RpcPhase.OUTGOING_RESULT,
            ctx.identity(),
            ctx.version(),
            ctx.action(),
            ctx.messageId(),
            ctx.params(),
            null),
        this::transmitResult);
  }

  void sendError(IncomingCall call, RpcException error) {
    sendAnswer(
        new RpcContext(
            RpcPhase.OUTGOING_ERROR,
            session.identity(),
            call.version(),
            call.action(),
            call.messageId(),
            error.details(),
            error),
        c -> transmitError(c.messageId(), c.action(), c.error()));
  }

  /**
   * Runs an answer through the outgoing middleware and sends what comes out. As in ocpp-ws-io, a
   * failing middleware does not cost the peer its answer: the unchanged one goes out instead.
   */
  private void sendAnswer(RpcContext outgoing, Consumer<RpcContext> transmit) {
    if (parts.middleware().isEmpty()) {
      transmit.accept(outgoing);
      return;
    }
    AtomicBoolean sent = new AtomicBoolean();
    parts.middleware()
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

  private void transmitResult(RpcContext c) {
    Listeners events = parts.events();
    session.send(
        RpcCodec.encodeResult(c.messageId(), c.params()),
        !events.wants(Listeners.Kind.CALL_RESULT)
            ? null
            : () ->
                events.fire(
                    Listeners.Kind.CALL_RESULT,
                    new ResultEvent(Direction.OUT, c.messageId(), c.action(), c.params()),
                    ClientListener::onCallResult));
  }

  /** The code a CALLERROR for {@code error} carries under {@code version}. */
  static String wireCode(OcppVersion version, RpcException error) {
    // Only codes from the negotiated version's table go out, spelled its way.
    return error.code().map(c -> c.wireName(version)).orElse(RpcErrorCode.GENERIC_ERROR.wireName(version));
  }

  /** Sends a CALLERROR with the negotiated version's code and spelling. */
  void transmitError(String messageId, String action, RpcException error) {
    OcppVersion version = session.version();
    String code = wireCode(version, error);
    String text =
        RpcCodec.encodeError(RpcCodec.CALLERROR, messageId, code, error.wireDescription(), error.details());
    Listeners events = parts.events();
    session.send(
        text,
        !events.wants(Listeners.Kind.CALL_ERROR)
            ? null
            : () ->
                events.fire(
                    Listeners.Kind.CALL_ERROR,
                    new CallErrorEvent(Direction.OUT, messageId, action, error),
                    ClientListener::onCallError));
  }
}
