package dev.ocppj.client.internal.session;

import dev.ocppj.client.BadMessageEvent;
import dev.ocppj.client.CallErrorEvent;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.internal.codec.Frame;
import dev.ocppj.client.internal.codec.MalformedFrameException;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.pending.PendingCall;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Everything that arrives from the CSMS: decoding on the read thread, answers to malformed
 * messages per OCPP-J, and delivery of answers to pending calls. CALLs and SENDs go to {@link
 * IncomingCalls}.
 *
 * <p>The read thread only decodes, matches and hands off; handlers, middleware and listeners run
 * on the callback executor. Nothing throws out of {@link #onText}.
 */
final class Inbound {
  private static final Logger log = LoggerFactory.getLogger(Inbound.class);

  private static final String UNREADABLE_ID = "-1";

  private final Session session;
  private final IncomingCalls calls;

  Inbound(Session session) {
    this.session = session;
    this.calls = new IncomingCalls(session, this);
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
    link.reportReceived(text);
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
      calls.incomingCall(link, call);
    } else if (frame instanceof Frame.CallResult result) {
      incomingResult(link, result);
    } else if (frame instanceof Frame.CallError error) {
      incomingError(error);
    } else if (frame instanceof Frame.Send send) {
      calls.incomingSend(link, send);
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
    session.inboundOrder().execute(() -> deliverResult(link, call, frame.payload()));
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
    session.inboundOrder().execute(() -> deliverError(call, error));
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

  /** Answers a malformed or refused message directly: no handler, no middleware. */
  void replyError(Link link, String messageId, RpcErrorCode code, String description) {
    transmitError(link, messageId, null, RpcException.of(code, description, null));
  }

  void transmitError(Link link, String messageId, String action, RpcException error) {
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
