package dev.ocppj.client.internal.session;

import dev.ocppj.client.BadMessageEvent;
import dev.ocppj.client.CallOutcome;
import dev.ocppj.client.CallErrorEvent;
import dev.ocppj.client.ClientListener;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ResultEvent;
import dev.ocppj.client.internal.codec.Frame;
import dev.ocppj.client.internal.codec.MalformedFrameException;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.internal.metrics.CallTracker;
import dev.ocppj.client.internal.pending.PendingCall;
import dev.ocppj.client.internal.runtime.OcppFuture;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcErrorCode;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Everything that arrives on one connection: decoding, the OCPP-J answers to malformed messages,
 * and answers to this client's calls, which are matched here and delivered on the user executor
 * (through {@link InboundOrder}). CALLs and SENDs go to {@link IncomingCalls}.
 *
 * <p>Runs on the connection's read thread and never runs user code there; nothing throws out of
 * {@link #onText}.
 */
final class Inbound {
  private static final Logger log = LoggerFactory.getLogger(Inbound.class);

  private static final String UNREADABLE_ID = "-1";

  private final Session session;
  private final ClientParts parts;
  private final Answers answers;
  // Read thread only.
  private int consecutiveBadMessages;

  Inbound(Session session, Answers answers) {
    this.session = session;
    this.parts = session.parts;
    this.answers = answers;
  }

  /** One text frame, on the read thread. */
  void onText(String text) {
    try {
      dispatch(text);
    } catch (RuntimeException | Error e) {
      // A bug of ours must not kill the connection's read thread.
      log.error("[{}] failed to process inbound frame: {}", session.identity(), Session.abbreviate(text), e);
    }
  }

  private void dispatch(String text) {
    session.reportReceived(text);
    Frame frame;
    try {
      frame = RpcCodec.decode(text);
    } catch (MalformedFrameException e) {
      badMessage(text, e);
      return;
    }
    OcppVersion version = session.version();
    if (version != OcppVersion.V2_1
        && (frame instanceof Frame.Send || frame instanceof Frame.CallResultError)) {
      unknownMessageType(text, frame.messageType(), frame.messageId());
      return;
    }
    consecutiveBadMessages = 0;
    if (frame instanceof Frame.Call call) {
      session.calls.accept(call.messageId(), call.action(), call.params(), text.length(), true);
    } else if (frame instanceof Frame.CallResult result) {
      incomingResult(result);
    } else if (frame instanceof Frame.CallError error) {
      incomingError(error);
    } else if (frame instanceof Frame.Send send) {
      session.calls.accept(send.messageId(), send.action(), send.params(), text.length(), false);
    } else if (frame instanceof Frame.CallResultError error) {
      incomingResultError(error);
    }
  }

  // ---- malformed input

  private void badMessage(String text, MalformedFrameException e) {
    int type = e.messageType();
    OcppVersion version = session.version();
    if ((type == RpcCodec.CALLRESULTERROR || type == RpcCodec.SEND) && version != OcppVersion.V2_1
        || e.kind() == MalformedFrameException.Kind.UNKNOWN_MESSAGE_TYPE) {
      unknownMessageType(text, type, e.messageId());
      return;
    }
    report(text, e.getMessage());
    parts.metrics().badMessage(reasonOf(e.kind()));
    switch (e.kind()) {
      case NOT_JSON, NOT_ARRAY, BAD_MESSAGE_TYPE ->
          // OCPP-J 2.x: a message that is not a valid RPC request gets RpcFrameworkError, with
          // id "-1" when the id cannot be read.
          replyError(orUnreadable(e.messageId()), RpcErrorCode.RPC_FRAMEWORK_ERROR, e.getMessage());
      case BAD_MESSAGE_ID -> {
        if (type == RpcCodec.CALL) {
          replyError(UNREADABLE_ID, RpcErrorCode.RPC_FRAMEWORK_ERROR, e.getMessage());
        }
      }
      case BAD_STRUCTURE -> {
        if (type == RpcCodec.CALL) {
          replyError(e.messageId(), RpcErrorCode.FORMAT_VIOLATION, e.getMessage());
        } else if (type == RpcCodec.CALLRESULT || type == RpcCodec.CALLERROR) {
          // Never answered, but the call it was meant for learns why it got no usable answer.
          PendingCall call = parts.pending().take(e.messageId());
          if (call != null) {
            CallTracker t = call.tracker();
            if (t != null) {
              // An answer came, but not a usable one: the code is what this client replies with.
              t.end(CallOutcome.Kind.ERROR, RpcErrorCode.FORMAT_VIOLATION.wireName(version));
            }
            BadMessageException failure =
                new BadMessageException(call + " got a malformed answer: " + e.getMessage(), text);
            parts.order().answer(new FailureDelivery(call, failure));
            if (type == RpcCodec.CALLRESULT) {
              replyResultError(call, RpcErrorCode.FORMAT_VIOLATION, e.getMessage());
            }
          }
        }
      }
      default -> {}
    }
    countBadMessage();
  }

  /**
   * A message type number this version does not define. OCPP-J 1.6 (4.1.3) and 2.1 say to
   * ignore it; 2.0.1 answers MessageTypeNotSupported.
   */
  private void unknownMessageType(String text, int type, String messageId) {
    OcppVersion version = session.version();
    String why =
        (type < 0 ? "unreadable message type" : "message type " + type) + " is not supported under " + version;
    report(text, why);
    parts.metrics().badMessage("unknown message type");
    if (version == OcppVersion.V2_0_1) {
      replyError(orUnreadable(messageId), RpcErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, why);
    }
    countBadMessage();
  }

  private void report(String text, String why) {
    BadMessageException error = new BadMessageException(why, text);
    log.warn("[{}] bad message ({}): {}", session.identity(), why, Session.abbreviate(text));
    parts.events().fire(
        Listeners.Kind.BAD_MESSAGE, new BadMessageEvent(text, error), ClientListener::onBadMessage);
  }

  private void countBadMessage() {
    int count = ++consecutiveBadMessages;
    if (count >= session.options().maxBadMessages()) {
      session.owner.tooManyBadMessages(session, count);
    }
  }

  /** The fixed reason the metrics hook gets for each kind of malformed frame. */
  private static String reasonOf(MalformedFrameException.Kind kind) {
    return switch (kind) {
      case NOT_JSON -> "not json";
      case NOT_ARRAY -> "not an array";
      case BAD_MESSAGE_TYPE -> "bad message type";
      case UNKNOWN_MESSAGE_TYPE -> "unknown message type";
      case BAD_MESSAGE_ID -> "bad message id";
      case BAD_STRUCTURE -> "malformed";
    };
  }

  private static String orUnreadable(String messageId) {
    return messageId == null ? UNREADABLE_ID : messageId;
  }

  // ---- answers to this client's calls

  private void incomingResult(Frame.CallResult frame) {
    PendingCall call = parts.pending().take(frame.messageId());
    if (call == null) {
      log.warn(
          "[{}] dropping CALLRESULT for unknown message id {} (late, cancelled or never sent)",
          session.identity(),
          frame.messageId());
      parts.metrics().badMessage("unexpected answer");
      return;
    }
    CallTracker t = call.tracker();
    if (t != null) {
      t.end(CallOutcome.Kind.RESULT, null); // as on the wire: strict mode or middleware may still fail it
    }
    parts.events().fire(
        Listeners.Kind.CALL_RESULT,
        new ResultEvent(Direction.IN, call.messageId(), call.action(), frame.payload()),
        ClientListener::onCallResult);
    parts.order().answer(new AnswerDelivery(call, frame.payload(), null, session.version()));
  }

  private void incomingError(Frame.CallError frame) {
    PendingCall call = parts.pending().take(frame.messageId());
    if (call == null) {
      log.warn(
          "[{}] dropping CALLERROR for unknown message id {} (late, cancelled or never sent)",
          session.identity(),
          frame.messageId());
      parts.metrics().badMessage("unexpected answer");
      return;
    }
    CallTracker t = call.tracker();
    if (t != null) {
      t.end(CallOutcome.Kind.ERROR, frame.errorCode()); // the code as received
    }
    RpcException error =
        RpcException.fromWire(
            frame.errorCode(), frame.description(), frame.details(), call + " failed with CALLERROR");
    parts.events().fire(
        Listeners.Kind.CALL_ERROR,
        new CallErrorEvent(Direction.IN, call.messageId(), call.action(), error),
        ClientListener::onCallError);
    parts.order().answer(new AnswerDelivery(call, null, error, session.version()));
  }

  /** A CALLRESULT's ({@code error} null) or CALLERROR's delivery, on the user executor. */
  private final class AnswerDelivery extends InboundOrder.Delivery {
    private final PendingCall call;
    private final JsonNode payload;
    private final RpcException error;
    private final OcppVersion version;

    AnswerDelivery(PendingCall call, JsonNode payload, RpcException error, OcppVersion version) {
      this.call = call;
      this.payload = payload;
      this.error = error;
      this.version = version;
    }

    @Override
    OcppFuture<?> future() {
      return call;
    }

    @Override
    void deliver() {
      if (error != null) {
        deliverError();
        return;
      }
      RpcException invalid =
          parts.strictness()
              .check(version, RpcPhase.INCOMING_RESULT, call.action(), call.messageId(), Role.RESPONSE, payload);
      if (invalid != null) {
        call.fail(invalid);
        replyResultError(call, invalid.code().orElseThrow(), invalid.description());
        return;
      }
      if (parts.middleware().isEmpty()) {
        call.finish(payload);
        return;
      }
      RpcContext ctx = context(RpcPhase.INCOMING_RESULT, call, version, payload, null);
      complete(call, parts.middleware().execute(ctx, c -> CompletableFuture.completedFuture(c.params())));
    }

    private void deliverError() {
      if (parts.middleware().isEmpty()) {
        call.fail(error);
        return;
      }
      RpcContext ctx = context(RpcPhase.INCOMING_ERROR, call, version, error.details(), error);
      complete(call, parts.middleware().execute(ctx, c -> CompletableFuture.failedFuture(c.error())));
    }
  }

  /** A malformed answer's delivery: the call fails. */
  private static final class FailureDelivery extends InboundOrder.Delivery {
    private final PendingCall call;
    private final Throwable error;

    FailureDelivery(PendingCall call, Throwable error) {
      this.call = call;
      this.error = error;
    }

    @Override
    OcppFuture<?> future() {
      return call;
    }

    @Override
    void deliver() {
      call.fail(error);
    }
  }

  private static void complete(PendingCall call, CompletionStage<JsonNode> outcome) {
    outcome.whenComplete(
        (value, error) -> {
          if (error != null) {
            call.fail(unwrap(error));
          } else {
            call.finish(value);
          }
        });
  }

  private RpcContext context(
      RpcPhase phase, PendingCall call, OcppVersion version, JsonNode params, RpcException error) {
    return new RpcContext(
        phase, session.identity(), version, call.action(), call.messageId(), params, error);
  }

  /**
   * OCPP 2.1: answers a CALLRESULT this client cannot process with a CALLRESULTERROR. Earlier
   * versions have no such message, and a CALLRESULT is never answered with a CALLERROR.
   */
  private void replyResultError(PendingCall call, RpcErrorCode code, String description) {
    OcppVersion version = session.version();
    if (version != OcppVersion.V2_1) {
      return;
    }
    RpcException error = RpcException.of(code, description, null);
    String text =
        RpcCodec.encodeError(
            RpcCodec.CALLRESULTERROR, call.messageId(), code.wireName(version), error.wireDescription(), error.details());
    if (session.send(text)) {
      parts.events().fire(
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
    parts.events().fire(
        Listeners.Kind.CALL_ERROR,
        new CallErrorEvent(Direction.IN, frame.messageId(), null, error),
        ClientListener::onCallError);
  }

  /** Answers a malformed or refused message directly: no handler, no middleware. */
  void replyError(String messageId, RpcErrorCode code, String description) {
    answers.transmitError(messageId, null, RpcException.of(code, description, null));
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
