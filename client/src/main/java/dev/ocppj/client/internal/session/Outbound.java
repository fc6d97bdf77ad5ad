package dev.ocppj.client.internal.session;

import dev.ocppj.client.CallOptions;
import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Registration;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.pending.PendingCall;
import dev.ocppj.client.internal.pending.PendingCalls;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * What this client sends on its own account: CALLs (through the middleware into {@link
 * PendingCalls}, which sends them when a slot and a connection are free) and OCPP 2.1 SENDs.
 */
final class Outbound {
  private final Session session;
  private final MessageIds ids = new MessageIds();

  Outbound(Session session) {
    this.session = session;
  }

  CompletableFuture<JsonNode> call(
      OcppVersion version, String action, Object params, CallOptions callOptions) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(callOptions, "callOptions");
    if (action.isEmpty()) {
      throw new IllegalArgumentException("action must not be empty");
    }
    ClientOptions o = session.options();
    if (version != null && !o.protocols().contains(version)) {
      throw new IllegalArgumentException(
          action + " is an " + version + " call, but the client offers only " + o.protocols());
    }
    JsonNode payload = Payloads.toObject(params, () -> "params of " + action);
    ClientState st = session.state();
    if (st == ClientState.CLOSED || st == ClientState.CLOSING) {
      return CompletableFuture.failedFuture(
          new ClientClosedException(
              action + " was not sent: the client is " + st
                  + (st == ClientState.CLOSED ? "; call connect() first" : "")));
    }
    Link l = session.link();
    OcppVersion negotiated = l == null || st != ClientState.OPEN ? null : l.version;
    if (version != null && negotiated != null && version != negotiated) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              action + " is an " + version + " call, but the connection speaks " + negotiated));
    }
    String id = ids.next();
    Duration timeout = callOptions.timeout() != null ? callOptions.timeout() : o.callTimeout();
    AtomicReference<PendingCall> submitted = new AtomicReference<>();
    RpcContext ctx =
        new RpcContext(RpcPhase.OUTGOING_CALL, o.identity(), negotiated, action, id, payload, null);
    CompletionStage<JsonNode> stage =
        session.middleware()
            .execute(
                ctx,
                c -> {
                  PendingCall call =
                      new PendingCall(
                          id,
                          action,
                          version,
                          RpcCodec.encodeCall(RpcCodec.CALL, id, action, c.params()),
                          c.params(),
                          timeout);
                  submitted.set(call);
                  session.pending().submit(call);
                  return call.answer();
                });
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            result.completeExceptionally(Session.unwrap(error));
          } else {
            result.complete(value);
          }
        });
    Registration token =
        callOptions.cancelToken() == null
            ? null
            : callOptions.cancelToken().onCancel(() -> result.cancel(false));
    result.whenComplete(
        (value, error) -> {
          if (token != null) {
            token.remove();
          }
          PendingCall call = submitted.get();
          if (result.isCancelled() && call != null && session.pending().remove(call)) {
            // The entry is gone, so a late answer is dropped; the chain sees the cancellation.
            call.answer().completeExceptionally(new CancellationException(call + " cancelled"));
          }
        });
    return result;
  }

  /**
   * The PendingCalls sender: sends on the current link if it is open. Runs under the
   * PendingCalls lock, so it must not take the session lock (connect() holds that while it
   * reopens the registry); a link that closes meanwhile refuses the frame.
   */
  PendingCalls.Sender.Outcome send(PendingCall call) {
    ClientState st = session.state();
    Link l = st == ClientState.OPEN || st == ClientState.CLOSING ? session.link() : null;
    if (l == null || l.version == null) {
      return PendingCalls.Sender.Outcome.NOT_OPEN;
    }
    if (call.version() != null && call.version() != l.version) {
      call.reject(
          new IllegalStateException(
              call + " is an " + call.version() + " call, but the connection speaks " + l.version));
      return PendingCalls.Sender.Outcome.REJECTED;
    }
    RpcException invalid =
        session.strictness().check(
            l.version, RpcPhase.OUTGOING_CALL, call.action(), call.messageId(), Role.REQUEST, call.params());
    if (invalid != null) {
      call.reject(invalid);
      return PendingCalls.Sender.Outcome.REJECTED;
    }
    return l.send(call.frame())
        ? PendingCalls.Sender.Outcome.SENT
        : PendingCalls.Sender.Outcome.NOT_OPEN;
  }

  /**
   * Sends an OCPP 2.1 SEND message. Not subject to {@code callConcurrency}: it is never
   * answered, so it holds no slot.
   */
  CompletableFuture<Void> send(OcppVersion version, String action, Object params) {
    Objects.requireNonNull(action, "action");
    if (action.isEmpty()) {
      throw new IllegalArgumentException("action must not be empty");
    }
    JsonNode payload = Payloads.toObject(params, () -> "params of " + action);
    ClientState st = session.state();
    Link l = session.link();
    if (st != ClientState.OPEN || l == null || l.version == null) {
      return CompletableFuture.failedFuture(
          new ClientClosedException(action + " was not sent: the client is " + st + ", not OPEN"));
    }
    if (l.version != OcppVersion.V2_1 || (version != null && version != l.version)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              action + " was not sent: SEND messages exist only in OCPP 2.1, and the connection"
                  + " speaks " + l.version));
    }
    String id = ids.next();
    RpcContext ctx =
        new RpcContext(RpcPhase.OUTGOING_CALL, session.identity(), l.version, action, id, payload, null);
    CompletableFuture<Void> result = new CompletableFuture<>();
    session.middleware()
        .execute(
            ctx,
            c -> {
              RpcException invalid =
                  session.strictness().check(
                      l.version, RpcPhase.OUTGOING_CALL, action, id, Role.REQUEST, c.params());
              if (invalid != null) {
                return CompletableFuture.failedFuture(invalid);
              }
              if (!l.send(RpcCodec.encodeCall(RpcCodec.SEND, id, action, c.params()))) {
                return CompletableFuture.failedFuture(
                    new ConnectionClosedException(action, id, 1006, "connection closed"));
              }
              return CompletableFuture.completedFuture(null);
            })
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                result.completeExceptionally(Session.unwrap(e));
              } else {
                result.complete(null);
              }
            });
    return result;
  }
}
