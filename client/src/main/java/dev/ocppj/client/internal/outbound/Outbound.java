package dev.ocppj.client.internal.outbound;

import dev.ocppj.client.CallOptions;
import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.ClientState;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Registration;
import dev.ocppj.client.internal.codec.Payloads;
import dev.ocppj.client.internal.offline.TransactionMessages;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.metrics.CallTracker;
import dev.ocppj.client.internal.pending.PendingCall;
import dev.ocppj.client.internal.pending.PendingCalls.Sender.Outcome;
import dev.ocppj.client.internal.runtime.OcppFuture;
import dev.ocppj.client.internal.schema.SchemaValidator.Role;
import dev.ocppj.client.internal.session.ClientParts;
import dev.ocppj.client.internal.session.Session;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.rpc.Direction;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.RpcPhase;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * What the client sends on its own account: CALLs (through the middleware into the pending-call
 * registry, which sends them when a slot and a connection are free) and OCPP 2.1 SENDs. Runs on
 * the caller's thread and never blocks.
 */
public final class Outbound {
  /** The state and open session of the client, as calls need them. */
  public interface Connections {
    /** The client's state. */
    ClientState state();

    /** The session of the open connection (also while CLOSING), or null. */
    Session openSession();
  }

  private final ClientParts parts;
  private final Connections connections;
  private final MessageIds ids = new MessageIds();

  public Outbound(ClientParts parts, Connections connections) {
    this.parts = parts;
    this.connections = connections;
  }

  /** Makes a call; see {@code OcppClient.call(...)}. */
  public CompletableFuture<JsonNode> call(
      OcppVersion version, String action, Object params, CallOptions callOptions) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(callOptions, "callOptions");
    if (action.isEmpty()) {
      throw new IllegalArgumentException("action must not be empty");
    }
    ClientOptions o = parts.options().get();
    if (version != null && !o.protocols().contains(version)) {
      throw new IllegalArgumentException(
          action + " is an " + version + " call, but the client offers only " + o.protocols());
    }
    JsonNode payload = Payloads.toObject(params, () -> "params of " + action);
    TransactionMessages transactions = parts.transactions();
    if (transactions != null && TransactionMessages.isTransactionMessage(action, payload)) {
      return transactions.submit(version, action, payload); // stored, sent in order, retried
    }
    return callDirect(version, action, payload, callOptions);
  }

  /** One attempt of a stored transaction-related message: an ordinary call. */
  public CompletableFuture<JsonNode> callDirect(OcppVersion version, String action, JsonNode payload) {
    return callDirect(version, action, payload, CallOptions.defaults());
  }

  private CompletableFuture<JsonNode> callDirect(
      OcppVersion version, String action, JsonNode payload, CallOptions callOptions) {
    ClientOptions o = parts.options().get();
    ClientState st = connections.state();
    Session open = connections.openSession();
    OcppVersion negotiated = open == null ? null : open.version();
    String id = ids.next();
    // With no hook (the default) this is the only metrics cost of a call: no tracker, no clock.
    CallTracker tracker =
        parts.metrics().on()
            ? parts.metrics().start(version != null ? version : negotiated, Direction.OUT, action, id)
            : null;
    if (st == ClientState.CLOSED || st == ClientState.CLOSING) {
      return failed(
          tracker,
          new ClientClosedException(
              action + " was not sent: the client is " + st
                  + (st == ClientState.CLOSED ? "; call connect() first" : "")));
    }
    if (version != null && negotiated != null && version != negotiated) {
      return failed(
          tracker,
          new IllegalStateException(
              action + " is an " + version + " call, but the connection speaks " + negotiated));
    }
    Duration timeout = callOptions.timeout() != null ? callOptions.timeout() : o.callTimeout();
    Duration queueTimeout =
        callOptions.queueTimeout() != null ? callOptions.queueTimeout() : o.effectiveQueueTimeout(timeout);
    CompletableFuture<JsonNode> result;
    if (parts.middleware().isEmpty()) {
      // The common case: the call is its own future, no chain to build.
      PendingCall call =
          new PendingCall(
              id, action, version, RpcCodec.encodeCall(RpcCodec.CALL, id, action, payload), payload, timeout, queueTimeout);
      call.track(tracker);
      parts.pending().submit(call);
      result = call;
    } else {
      result = throughMiddleware(version, action, id, payload, negotiated, timeout, queueTimeout, tracker);
    }
    if (callOptions.cancelToken() != null) {
      Registration token = callOptions.cancelToken().onCancel(() -> result.cancel(false));
      result.whenComplete((v, e) -> token.remove());
    }
    return result;
  }

  private CompletableFuture<JsonNode> throughMiddleware(
      OcppVersion version,
      String action,
      String id,
      JsonNode payload,
      OcppVersion negotiated,
      Duration timeout,
      Duration queueTimeout,
      CallTracker tracker) {
    AtomicReference<PendingCall> submitted = new AtomicReference<>();
    RpcContext ctx =
        new RpcContext(RpcPhase.OUTGOING_CALL, parts.identity(), negotiated, action, id, payload, null);
    CompletionStage<JsonNode> stage =
        parts.middleware()
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
                          timeout,
                          queueTimeout);
                  call.track(tracker);
                  submitted.set(call);
                  parts.pending().submit(call);
                  return call;
                });
    OcppFuture<JsonNode> result =
        stage instanceof OcppFuture<?> f && submitted.get() == f ? new OcppFuture<>(f) : new OcppFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            result.completeExceptionally(unwrap(error));
          } else {
            result.complete(value);
          }
        });
    result.whenComplete(
        (value, error) -> {
          if (tracker != null) {
            // A middleware that answered (or failed) without the call going out ends it here;
            // a call that went out has ended already, as the registry saw it.
            tracker.end(error == null ? null : unwrap(error));
          }
          PendingCall call = submitted.get();
          if (result.isCancelled() && call != null) {
            call.cancel(false); // out of the registry: not sent, or its answer dropped
          }
        });
    return result;
  }

  /**
   * The pending-call registry's sender: sends on the open connection. Runs under the registry's
   * lock, so it must not block or take the client's lifecycle lock; a connection that closes
   * meanwhile refuses the frame.
   */
  public Outcome sendCall(PendingCall call) {
    Session s = connections.openSession();
    OcppVersion v = s == null ? null : s.version();
    if (v == null) {
      return Outcome.NOT_OPEN;
    }
    if (call.version() != null && call.version() != v) {
      call.reject(
          new IllegalStateException(call + " is an " + call.version() + " call, but the connection speaks " + v));
      return Outcome.REJECTED;
    }
    RpcException invalid =
        parts.strictness()
            .check(v, RpcPhase.OUTGOING_CALL, call.action(), call.messageId(), Role.REQUEST, call.params());
    if (invalid != null) {
      call.reject(invalid);
      return Outcome.REJECTED;
    }
    return s.send(call.frame())
        ? Outcome.SENT
        : Outcome.NOT_OPEN;
  }

  /**
   * Sends an OCPP 2.1 SEND message. Not subject to {@code callConcurrency}: it is never
   * answered, so it holds no slot.
   */
  public CompletableFuture<Void> send(OcppVersion version, String action, Object params) {
    Objects.requireNonNull(action, "action");
    if (action.isEmpty()) {
      throw new IllegalArgumentException("action must not be empty");
    }
    JsonNode payload = Payloads.toObject(params, () -> "params of " + action);
    ClientState st = connections.state();
    Session s = connections.openSession();
    OcppVersion v = s == null ? null : s.version();
    String id = ids.next();
    CallTracker tracker =
        parts.metrics().on()
            ? parts.metrics().start(version != null ? version : v, Direction.OUT, action, id)
            : null;
    if (st != ClientState.OPEN || v == null) {
      return failed(tracker, new ClientClosedException(action + " was not sent: the client is " + st + ", not OPEN"));
    }
    if (v != OcppVersion.V2_1 || (version != null && version != v)) {
      return failed(
          tracker,
          new IllegalStateException(
              action + " was not sent: SEND messages exist only in OCPP 2.1, and the connection"
                  + " speaks " + v));
    }
    RpcContext ctx = new RpcContext(RpcPhase.OUTGOING_CALL, parts.identity(), v, action, id, payload, null);
    OcppFuture<Void> result = new OcppFuture<>();
    parts.middleware()
        .execute(
            ctx,
            c -> {
              RpcException invalid =
                  parts.strictness().check(v, RpcPhase.OUTGOING_CALL, action, id, Role.REQUEST, c.params());
              if (invalid != null) {
                return CompletableFuture.failedFuture(invalid);
              }
              if (!s.send(RpcCodec.encodeCall(RpcCodec.SEND, id, action, c.params()))) {
                return CompletableFuture.failedFuture(
                    new ConnectionClosedException(action, id, 1006, "connection closed"));
              }
              if (tracker != null) {
                tracker.sent();
              }
              return CompletableFuture.completedFuture(null);
            })
        .whenComplete(
            (x, e) -> {
              Throwable error = e == null ? null : unwrap(e);
              if (tracker != null) {
                tracker.end(error); // a SEND is never answered: written is its RESULT
              }
              if (error != null) {
                result.completeExceptionally(error);
              } else {
                result.complete(null);
              }
            });
    return result;
  }

  private static <T> CompletableFuture<T> failed(CallTracker tracker, Throwable error) {
    if (tracker != null) {
      tracker.end(error);
    }
    OcppFuture<T> f = new OcppFuture<>();
    f.completeExceptionally(error);
    return f;
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
