package dev.ocppj.client;

import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.internal.events.Listeners;
import dev.ocppj.client.internal.lifecycle.Lifecycle;
import dev.ocppj.client.internal.metrics.Metrics;
import dev.ocppj.client.internal.offline.TransactionMessages;
import dev.ocppj.client.internal.middleware.MiddlewareChain;
import dev.ocppj.client.internal.outbound.Outbound;
import dev.ocppj.client.internal.pending.PendingCalls;
import dev.ocppj.client.internal.router.HandlerRouter;
import dev.ocppj.client.internal.runtime.OcppFuture;
import dev.ocppj.client.internal.runtime.Timers;
import dev.ocppj.client.internal.runtime.UserExecutor;
import dev.ocppj.client.internal.schema.Strictness;
import dev.ocppj.client.internal.session.ClientParts;
import dev.ocppj.client.internal.session.InboundOrder;
import dev.ocppj.client.internal.transport.WebSocketTransport;
import dev.ocppj.client.rpc.AsyncTypedHandler;
import dev.ocppj.client.rpc.BadMessageException;
import dev.ocppj.client.rpc.CallHandler;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.Middleware;
import dev.ocppj.client.rpc.RpcException;
import dev.ocppj.client.rpc.TypedHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * An OCPP-J charge point's connection to a CSMS: it connects over WebSocket, makes calls, answers
 * the CSMS's calls with registered handlers, and reports what happens to listeners.
 *
 * <pre>{@code
 * OcppClient client = OcppClient.builder(URI.create("ws://csms.example/ocpp"), "CP001")
 *     .protocols(OcppVersion.V1_6)
 *     .build();
 * client.handle("Reset", call -> Map.of("status", "Accepted"));
 * client.connect().join();
 * JsonNode boot = client.call("BootNotification",
 *     Map.of("chargePointVendor", "VendorX", "chargePointModel", "ModelY")).join();
 * client.closeAsync().join();
 * }</pre>
 *
 * <h2>Threading</h2>
 *
 * <ul>
 *   <li>Every method is thread-safe and returns at once; none blocks except {@link #close()}.
 *   <li>The WebSocket's read thread only decodes frames and hands them off. Handlers, listeners,
 *       incoming-phase middleware and everything chained on a returned future run on the
 *       <em>callback executor</em>: by default a small pool shared by all clients, whose threads
 *       are named {@code ocpp-callback-N} and end when idle.
 *   <li>A handler may block, and may call this client and wait for the answer: the default pool
 *       adds a thread while one waits on a {@code CompletableFuture}. A handler that blocks on
 *       other things for long should hand its work to an executor of its own and return a
 *       {@code CompletionStage}.
 *   <li>Events of one client are delivered in order, one at a time.
 *   <li>Timers (call timeouts, connect and close deadlines) run on one scheduler thread, {@code
 *       ocpp-scheduler}, shared by all clients and stopped when the last client closes. Besides
 *       that, an open connection costs the two threads of the WebSocket library.
 * </ul>
 *
 * <h2>Every call ends</h2>
 *
 * A call's future completes exactly once: with the CALLRESULT payload; with an {@link
 * dev.ocppj.client.rpc.RpcException} for a CALLERROR; with a {@link
 * dev.ocppj.client.rpc.CallTimeoutException}; with a {@link
 * java.util.concurrent.CancellationException} when cancelled; with a {@link
 * dev.ocppj.client.rpc.ConnectionClosedException} when the connection closes before the answer;
 * or with a {@link ClientClosedException} when it was never sent because the client closed.
 */
public final class OcppClient implements AutoCloseable {
  private final AtomicReference<ClientOptions> options;
  private final HandlerRouter router = new HandlerRouter();
  private final MiddlewareChain middleware = new MiddlewareChain();
  private final Listeners events;
  private final PendingCalls pending;
  private final Lifecycle lifecycle;
  private final Outbound outbound;
  private final Metrics metrics;

  private OcppClient(Builder b, ClientOptions o) {
    this.options = new AtomicReference<>(o);
    for (Middleware m : b.middleware) {
      middleware.add(m);
    }
    UserExecutor user = new UserExecutor(b.callbackExecutor);
    this.events = new Listeners(o.identity(), user);
    for (ClientListener l : b.listeners) {
      events.add(l);
    }
    Timers timers = new Timers(o.identity());
    this.metrics = new Metrics(b.metrics, this::identity);
    // The registry sends through the outbound part, made below; it sends nothing before connect().
    Outbound[] sender = new Outbound[1];
    this.pending =
        new PendingCalls(
            o.callConcurrency(), o.maxQueuedCalls(), timers::schedule, user, call -> sender[0].sendCall(call));
    pending.setOffline(o.offlineQueue(), o.offlineOverflow() == OfflineOverflow.DROP_OLDEST);
    Lifecycle[] life = new Lifecycle[1];
    TransactionMessages transactions =
        o.transactionStore() == null
            ? null
            : new TransactionMessages(o.transactionStore(), options::get, () -> life[0].state(), timers, user);
    ClientParts parts =
        new ClientParts(
            options::get,
            user,
            events,
            timers,
            router,
            middleware,
            pending,
            new Strictness(options::get, events),
            new InboundOrder(user),
            transactions,
            metrics);
    this.lifecycle = life[0] =
        new Lifecycle(parts, b.transport);
    this.outbound = sender[0] = new Outbound(parts, lifecycle);
    if (transactions != null) {
      transactions.sender((version, action, payload) -> outbound.callDirect(version, action, payload));
    }
  }

  /**
   * Starts building a client for the charge point {@code identity} at the CSMS {@code endpoint}
   * (the URL without the identity, which the client appends).
   */
  public static Builder builder(URI endpoint, String identity) {
    return new Builder(endpoint, identity);
  }

  /** The charge point's identity. */
  public String identity() {
    return options.get().identity();
  }

  /** The options in force: as built, or as last changed by {@link #reconfigure}. */
  public ClientOptions options() {
    return options.get();
  }

  /**
   * Changes options on a live client, atomically: {@code changes} gets a builder holding the
   * current options, and the result replaces them if it is valid. Each option applies as its
   * documentation in {@link ClientOptions} says: identity, endpoint, protocols, query, headers
   * and security on the next connect or reconnect (changing the protocols also ends the
   * narrowing to the version negotiated first); {@code reconnect(false)} cancels a pending
   * reconnect attempt at once; {@code callConcurrency} resizes the live queue at once; the ping
   * settings are re-armed at once; everything else applies from its next use.
   *
   * <p>Concurrent changes are never lost: each applies to the options the other left (a
   * compare-and-set loop), so {@code changes} may run more than once and should only call setters.
   *
   * @throws IllegalArgumentException naming the first invalid option; nothing changes then
   */
  public void reconfigure(Consumer<ClientOptions.Builder> changes) {
    Objects.requireNonNull(changes, "changes");
    while (true) {
      ClientOptions previous = options.get();
      ClientOptions.Builder b = previous.toBuilder();
      changes.accept(b);
      ClientOptions next = b.build();
      if (next.transactionStore() != previous.transactionStore()) {
        throw new IllegalArgumentException("transactionStore is fixed when the client is built");
      }
      if (options.compareAndSet(previous, next)) {
        lifecycle.reconfigured(previous, next);
        return;
      }
    }
  }

  /** The connection state. */
  public ClientState state() {
    return lifecycle.state();
  }

  /** The OCPP version the open connection negotiated; null when no connection is open. */
  public OcppVersion protocol() {
    return lifecycle.protocol();
  }

  /**
   * Connects: opens the WebSocket at {@link ClientOptions#connectionUrl()}, offering the
   * configured protocols.
   *
   * <p>The future completes on the callback executor: with the {@link OpenEvent} once the server
   * accepted the upgrade and selected one of the offered versions; or with a {@link
   * dev.ocppj.client.rpc.ConnectFailedException} if the TCP or TLS connect fails, the server
   * answers with another HTTP status (see {@code httpStatus()}) or selects no or another
   * subprotocol, or {@code connectTimeout} passes; or with a {@link ClientClosedException} if
   * {@link #close(CloseOptions)} cancels the attempt. Cancelling the future cancels the attempt.
   *
   * @throws IllegalStateException if the client is not {@link ClientState#CLOSED}
   */
  public CompletableFuture<OpenEvent> connect() {
    return lifecycle.connect();
  }

  /** Calls {@code action} with {@code params} under the client's defaults; see {@link #call(OcppVersion, String, Object, CallOptions)}. */
  public CompletableFuture<JsonNode> call(String action, Object params) {
    return outbound.call(null, action, params, CallOptions.defaults());
  }

  /** Calls {@code action} with {@code params}; see {@link #call(OcppVersion, String, Object, CallOptions)}. */
  public CompletableFuture<JsonNode> call(String action, Object params, CallOptions callOptions) {
    return outbound.call(null, action, params, callOptions);
  }

  /** Calls {@code action} for {@code version}; see {@link #call(OcppVersion, String, Object, CallOptions)}. */
  public CompletableFuture<JsonNode> call(OcppVersion version, String action, Object params) {
    return outbound.call(Objects.requireNonNull(version, "version"), action, params, CallOptions.defaults());
  }

  /**
   * Sends a CALL and returns its answer's payload.
   *
   * <p>{@code params} is a {@code JsonNode} object, a {@code Map}, or any object Jackson
   * serialises to a JSON object (null means {@code {}}). At most {@code callConcurrency} calls
   * are in flight; later ones wait, unsent, in FIFO order, and their timeout starts when they are
   * sent (or, while the client is still connecting, when they reach the front). A call made
   * while the client connects goes out once it is open.
   *
   * <p>{@code version}, when not null, says the call is meant for that OCPP version: it fails
   * with an {@code IllegalStateException} if the connection negotiated another one.
   *
   * @return a future that completes once, on the callback executor, as the class documentation
   *     lists; a call made when the client is CLOSED or CLOSING fails at once with {@link
   *     ClientClosedException}
   * @throws IllegalArgumentException if {@code params} is not a JSON object, the action is empty,
   *     or the client does not offer {@code version}
   */
  public CompletableFuture<JsonNode> call(
      OcppVersion version, String action, Object params, CallOptions callOptions) {
    return outbound.call(version, action, params, callOptions);
  }

  /**
   * Like {@link #call(String, Object, CallOptions)}, and converts the result payload to {@code
   * resultType} with Jackson; a payload that does not fit fails the future with a {@link
   * BadMessageException}. Cancelling the returned future cancels the call.
   */
  public <T> CompletableFuture<T> call(
      String action, Object params, Class<T> resultType, CallOptions callOptions) {
    Objects.requireNonNull(resultType, "resultType");
    return typed(outbound.call(null, action, params, callOptions), resultType, action);
  }

  /**
   * Sends a typed request and returns its typed response, for example {@code
   * client.call(Ocpp16.BOOT_NOTIFICATION, new BootNotificationRequest("VendorX", "ModelY"))}:
   * a {@code CompletableFuture<BootNotificationResponse>}. The call is made for the action's
   * version and fails with an {@code IllegalStateException} on a connection that negotiated
   * another one. Completes as {@link #call(OcppVersion, String, Object, CallOptions)} describes;
   * a result that does not fit the response type fails it with a {@link BadMessageException}.
   *
   * @throws IllegalArgumentException if the client does not offer the action's version, or the
   *     action is a SEND message (use {@link #send(OcppAction, Object)})
   */
  public <Q, R> CompletableFuture<R> call(OcppAction<Q, R> action, Q request, CallOptions callOptions) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(request, "request");
    if (action.isSend()) {
      throw new IllegalArgumentException(action + " is a SEND message; use send(...)");
    }
    return typed(
        outbound.call(action.version(), action.name(), request, callOptions),
        action.responseType(),
        action.name());
  }

  /** Like {@link #call(OcppAction, Object, CallOptions)} with the client's defaults. */
  public <Q, R> CompletableFuture<R> call(OcppAction<Q, R> action, Q request) {
    return call(action, request, CallOptions.defaults());
  }

  /**
   * Sends a generated request; it knows its action, so the future has exactly its response
   * type. See {@link #call(OcppAction, Object, CallOptions)}.
   */
  public <R> CompletableFuture<R> call(OcppRequest<R> request) {
    return call(request, CallOptions.defaults());
  }

  /** Like {@link #call(OcppRequest)}, with options. */
  @SuppressWarnings("unchecked")
  public <R> CompletableFuture<R> call(OcppRequest<R> request, CallOptions callOptions) {
    Objects.requireNonNull(request, "request");
    return call((OcppAction<Object, R>) request.ocppAction(), request, callOptions);
  }

  /**
   * Sends an OCPP 2.1 SEND message (message type 6): delivered once, never answered, and not
   * held back by {@code callConcurrency}. It runs through the middleware as an {@code
   * OUTGOING_CALL} whose {@code proceed} completes with null once the frame is handed to the
   * socket, and strict mode validates it.
   *
   * @return completes when the frame was handed to the socket; fails with {@link
   *     ClientClosedException} if no connection is open, with an {@code IllegalStateException}
   *     if the connection does not speak OCPP 2.1, or with the strict mode error
   */
  public CompletableFuture<Void> send(String action, Object params) {
    return outbound.send(null, action, params);
  }

  /** Sends a typed OCPP 2.1 SEND message, such as {@code Ocpp21.NOTIFY_PERIODIC_EVENT_STREAM}. */
  public <Q> CompletableFuture<Void> send(OcppAction<Q, Void> action, Q message) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(message, "message");
    if (!action.isSend()) {
      throw new IllegalArgumentException(action + " expects an answer; use call(...)");
    }
    return outbound.send(action.version(), action.name(), message);
  }

  private static <T> CompletableFuture<T> typed(
      CompletableFuture<JsonNode> raw, Class<T> resultType, String action) {
    CompletableFuture<T> typed = raw instanceof OcppFuture<?> call ? new OcppFuture<>(call) : new OcppFuture<>();
    raw.whenComplete(
        (node, error) -> {
          if (error != null) {
            typed.completeExceptionally(error);
            return;
          }
          try {
            typed.complete(RpcCodec.read(node, resultType, action + " result"));
          } catch (RpcException e) {
            typed.completeExceptionally(new BadMessageException(e.description(), node.toString()));
          }
        });
    // The caller holds only the typed future; cancelling it must reach the call.
    typed.whenComplete(
        (v, e) -> {
          if (typed.isCancelled()) {
            raw.cancel(false);
          }
        });
    return typed;
  }

  /** Like {@link #call(String, Object, Class, CallOptions)} with the client's defaults. */
  public <T> CompletableFuture<T> call(String action, Object params, Class<T> resultType) {
    return call(action, params, resultType, CallOptions.defaults());
  }

  /**
   * Registers the handler for {@code action} on connections that negotiated {@code version}; it
   * takes precedence over a handler registered for the action alone.
   *
   * @throws IllegalStateException if one is already registered for that version and action
   */
  public Registration handle(OcppVersion version, String action, CallHandler handler) {
    return router.register(Objects.requireNonNull(version, "version"), action, handler);
  }

  /**
   * Registers the handler for {@code action} under any version. An incoming CALL goes to the
   * version-specific handler, else this one, else the wildcard; with none it is answered with
   * NotImplemented.
   *
   * @throws IllegalStateException if one is already registered for that action
   */
  public Registration handle(String action, CallHandler handler) {
    return router.register(null, action, handler);
  }

  /**
   * Registers the wildcard handler, which answers every CALL no other handler takes.
   *
   * @throws IllegalStateException if a wildcard handler is already registered
   */
  public Registration handle(CallHandler handler) {
    return router.registerWildcard(handler);
  }

  /**
   * Registers a typed handler for {@code action}, under its version: the request arrives
   * converted to its class, and the handler returns the response object, for example {@code
   * client.handle(Ocpp201.RESET, req -> new ResetResponse(ResetStatusEnum.ACCEPTED))}. A payload
   * that does not fit the request class is answered with a CALLERROR (TypeConstraintViolation,
   * PropertyConstraintViolation for an unknown enumeration value, FormatViolation for a bad
   * timestamp) without calling the handler; a null response is answered with InternalError.
   *
   * @throws IllegalStateException if a handler for that version and action is already registered
   */
  public <Q, R> Registration handle(OcppAction<Q, R> action, TypedHandler<Q, R> handler) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(handler, "handler");
    return registerTyped(
        action,
        call -> {
          R response = handler.handle(call.paramsAs(action.requestType()));
          if (response == null) {
            throw new IllegalStateException("the handler for " + action + " returned null");
          }
          return response;
        });
  }

  private Registration registerTyped(OcppAction<?, ?> action, CallHandler handler) {
    if (action.isSend()) {
      throw new IllegalArgumentException(action + " is a SEND message, which gets no answer");
    }
    return router.register(action.version(), action.name(), handler);
  }

  /**
   * Registers a typed handler that answers later: it returns a {@code CompletionStage} of the
   * response, for example one that completes when a simulated connector has unlocked. Typed end
   * to end like {@link #handle(OcppAction, TypedHandler)}; the CALL is answered when the stage
   * completes (a null response is answered InternalError).
   *
   * @throws IllegalStateException if a handler for that version and action is already registered
   */
  public <Q, R> Registration handleAsync(OcppAction<Q, R> action, AsyncTypedHandler<Q, R> handler) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(handler, "handler");
    return registerTyped(
        action,
        call -> {
          CompletionStage<R> stage = handler.handle(call.paramsAs(action.requestType()));
          if (stage == null) {
            throw new IllegalStateException("the handler for " + action + " returned a null stage");
          }
          return stage.thenApply(
              response -> {
                if (response == null) {
                  throw new IllegalStateException("the handler for " + action + " completed with null");
                }
                return response;
              });
        });
  }

  /** Removes the handler for {@code action} under {@code version}; true if there was one. */
  public boolean removeHandler(OcppVersion version, String action) {
    return router.remove(Objects.requireNonNull(version, "version"), action);
  }

  /** Removes the version-independent handler for {@code action}; true if there was one. */
  public boolean removeHandler(String action) {
    return router.remove(null, action);
  }

  /** Removes the wildcard handler; true if there was one. */
  public boolean removeHandler() {
    return router.removeWildcard();
  }

  /** Removes every handler, the wildcard included. */
  public void removeAllHandlers() {
    router.clear();
  }

  /** Adds a listener for this client's events; see {@link ClientListener}. */
  public Registration addListener(ClientListener listener) {
    return events.add(listener);
  }

  /**
   * Appends a middleware; it runs after those added before it, for messages from now on. See
   * {@link Middleware}.
   */
  public Registration use(Middleware m) {
    return middleware.add(m);
  }

  /** Closes with {@link CloseOptions#defaults()}: code 1000, after pending calls are answered. */
  public CompletableFuture<CloseEvent> closeAsync() {
    return close(CloseOptions.defaults());
  }

  /**
   * Closes the client. Calls not yet sent fail at once with {@link ClientClosedException}. With
   * {@code awaitPending}, the close handshake starts once every sent call is answered or timed
   * out; without it, at once, and calls still unanswered when the connection closes fail with a
   * {@link dev.ocppj.client.rpc.ConnectionClosedException}. {@code force} drops the TCP
   * connection without a handshake. A connect in progress is cancelled. If the peer does not
   * answer the close frame within {@code closeTimeout}, the connection is dropped.
   *
   * <p>Idempotent: while closing, returns the same future; once closed, a completed one.
   *
   * @return completes on the callback executor with the close as the connection reported it
   *     (the peer's code, or 1006 for a dropped connection)
   */
  public CompletableFuture<CloseEvent> close(CloseOptions closeOptions) {
    return lifecycle.close(closeOptions);
  }

  /**
   * Closes with {@link CloseOptions#defaults()} and waits for it, at most the longest call
   * timeout plus the close timeout; for try-with-resources. Do not call it from a listener.
   */
  @Override
  public void close() {
    ClientOptions o = options.get();
    Duration bound = o.callTimeout().plus(o.closeTimeout()).plusSeconds(5);
    try {
      closeAsync().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      close(CloseOptions.defaults().withForce(true));
    }
  }

  /** Calls in flight and calls queued, for tests. */
  int[] pendingCounts() {
    return new int[] {pending.inFlight(), pending.queued()};
  }

  /** Calls sent and awaiting their answer (a snapshot; for gauges). */
  public int pendingCalls() {
    return pending.inFlight();
  }

  /** Calls waiting to be sent: behind {@code callConcurrency} or for a connection (a snapshot). */
  public int queuedCalls() {
    return pending.queued();
  }

  @Override
  public String toString() {
    return "OcppClient{" + identity() + ", " + lifecycle.state() + "}";
  }

  /**
   * Builds an {@link OcppClient}. Required values are the factory's arguments; the option setters
   * come from {@link OptionsBuilder}, each with its documented default. {@link #build()}
   * validates and fails with a message that names the option.
   */
  public static final class Builder extends OptionsBuilder<Builder> {
    private Executor callbackExecutor;
    private WebSocketTransport transport;
    private final List<Middleware> middleware = new ArrayList<>();
    private final List<ClientListener> listeners = new ArrayList<>();

    private Builder(URI endpoint, String identity) {
      super(endpoint, identity);
    }

    @Override
    Builder self() {
      return this;
    }

    private ClientMetrics metrics = ClientMetrics.NONE;

    /**
     * Where handlers, listeners and future completions run (default: a pool shared by all
     * clients). An executor of your own must not run tasks on the calling thread, and should
     * not be a small fixed pool if handlers block waiting for calls.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
      return this;
    }

    /**
     * The metrics and tracing hook ({@link ClientMetrics#NONE}, the default, measures nothing);
     * fixed when the client is built, which it then tells {@link ClientMetrics#clientCreated}.
     */
    public Builder metrics(ClientMetrics hook) {
      this.metrics = Objects.requireNonNull(hook, "metrics");
      return this;
    }

    /** Another transport, for the library's own tests (fault injection). */
    Builder transportForTests(WebSocketTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Appends a middleware; middleware run in the order they were added. */
    public Builder use(Middleware m) {
      middleware.add(Objects.requireNonNull(m, "middleware"));
      return this;
    }

    /** Adds a listener, registered before the first event can happen. */
    public Builder listener(ClientListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Validates the options and builds the client, which starts CLOSED.
     *
     * @throws IllegalArgumentException naming the first invalid option
     */
    public OcppClient build() {
      OcppClient client = new OcppClient(this, new ClientOptions(this));
      client.metrics.created(client);
      return client;
    }
  }
}
