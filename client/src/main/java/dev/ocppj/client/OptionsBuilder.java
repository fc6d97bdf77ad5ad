package dev.ocppj.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The option setters shared by {@link OcppClient.Builder} and {@link ClientOptions.Builder}:
 * each has the documented default, and validation happens when the options are built, with a
 * message that names the option. See {@link ClientOptions} for what each option does and when a
 * change applies.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class OptionsBuilder<B extends OptionsBuilder<B>>
    permits OcppClient.Builder, ClientOptions.Builder {
  String identity;
  URI endpoint;
  final List<OcppVersion> protocols = new ArrayList<>();
  final Map<String, String> query = new LinkedHashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();
  Duration callTimeout = ClientOptions.DEFAULT_CALL_TIMEOUT;
  int callConcurrency = ClientOptions.DEFAULT_CALL_CONCURRENCY;
  int maxQueuedCalls = ClientOptions.DEFAULT_MAX_QUEUED_CALLS;
  int offlineQueue;
  OfflineOverflow offlineOverflow = OfflineOverflow.REJECT_NEW;
  Duration queueTimeout;
  int maxBadMessages = ClientOptions.UNLIMITED;
  boolean respondWithDetailedErrors;
  Duration connectTimeout = ClientOptions.DEFAULT_CONNECT_TIMEOUT;
  Duration closeTimeout = ClientOptions.DEFAULT_CLOSE_TIMEOUT;
  Set<OcppVersion> strictMode = EnumSet.noneOf(OcppVersion.class);
  Set<String> strictModeMethods = Set.of();
  boolean reconnect = true;
  int maxReconnects = ClientOptions.UNLIMITED;
  Duration backoffMin = ClientOptions.DEFAULT_BACKOFF_MIN;
  Duration backoffMax = ClientOptions.DEFAULT_BACKOFF_MAX;
  Duration backoffResetAfter = ClientOptions.DEFAULT_BACKOFF_RESET_AFTER;
  boolean retryInitialConnect;
  ReconnectPolicy reconnectPolicy;
  Duration pingInterval = ClientOptions.DEFAULT_PING_INTERVAL;
  Duration pongTimeout;
  boolean deferPingsOnActivity;
  int handlerConcurrency = ClientOptions.DEFAULT_HANDLER_CONCURRENCY;
  Duration handlerTimeout = ClientOptions.DEFAULT_HANDLER_TIMEOUT;
  dev.ocppj.client.store.TransactionStore transactionStore;
  int transactionMessageAttempts = ClientOptions.DEFAULT_TRANSACTION_MESSAGE_ATTEMPTS;
  Duration transactionMessageRetryInterval = ClientOptions.DEFAULT_TRANSACTION_MESSAGE_RETRY_INTERVAL;
  int maxMessageSize = ClientOptions.DEFAULT_MAX_MESSAGE_SIZE;
  long maxOutboundBytes = ClientOptions.DEFAULT_MAX_OUTBOUND_BYTES;
  int maxInboundBacklog = ClientOptions.DEFAULT_MAX_INBOUND_BACKLOG;
  long maxInboundBacklogBytes = ClientOptions.DEFAULT_MAX_INBOUND_BACKLOG_BYTES;
  Transport transport = ClientOptions.DEFAULT_TRANSPORT;
  private int securityProfile;
  private byte[] password;
  private boolean hostnameVerification = true;
  // TLS: either a context the user made, or key material files turned into one at build time.
  // Whichever was set last wins, so a reconfigure can swap a client certificate.
  private SSLContext sslContext;
  private Path keyStore;
  private char[] keyStorePassword;
  private Path trustStore;
  private char[] trustStorePassword;

  OptionsBuilder(URI endpoint, String identity) {
    this.endpoint = endpoint;
    this.identity = identity;
  }

  OptionsBuilder(ClientOptions from) {
    this(from.endpoint(), from.identity());
    protocols.addAll(from.protocols());
    query.putAll(from.query());
    headers.putAll(from.headers());
    callTimeout = from.callTimeout();
    callConcurrency = from.callConcurrency();
    maxQueuedCalls = from.maxQueuedCalls();
    offlineQueue = from.offlineQueue();
    offlineOverflow = from.offlineOverflow();
    queueTimeout = from.queueTimeout();
    maxBadMessages = from.maxBadMessages();
    respondWithDetailedErrors = from.respondWithDetailedErrors();
    connectTimeout = from.connectTimeout();
    closeTimeout = from.closeTimeout();
    strictMode = from.strictMode().isEmpty() ? EnumSet.noneOf(OcppVersion.class) : EnumSet.copyOf(from.strictMode());
    strictModeMethods = from.strictModeMethods();
    reconnect = from.reconnect();
    maxReconnects = from.maxReconnects();
    backoffMin = from.backoffMin();
    backoffMax = from.backoffMax();
    backoffResetAfter = from.backoffResetAfter();
    retryInitialConnect = from.retryInitialConnect();
    reconnectPolicy = from.reconnectPolicy();
    pingInterval = from.pingInterval();
    pongTimeout = from.pongTimeout();
    deferPingsOnActivity = from.deferPingsOnActivity();
    handlerConcurrency = from.handlerConcurrency();
    handlerTimeout = from.handlerTimeout();
    transactionStore = from.transactionStore();
    transactionMessageAttempts = from.transactionMessageAttempts();
    transactionMessageRetryInterval = from.transactionMessageRetryInterval();
    maxMessageSize = from.maxMessageSize();
    maxOutboundBytes = from.maxOutboundBytes();
    maxInboundBacklog = from.maxInboundBacklog();
    maxInboundBacklogBytes = from.maxInboundBacklogBytes();
    transport = from.transport();
    Security s = from.security();
    securityProfile = s.profile();
    password = s.hasPassword() ? s.password() : null;
    hostnameVerification = s.hostnameVerification();
    if (s.keyMaterial() != null) {
      Security.KeyMaterial k = s.keyMaterial();
      keyStore = k.keyStore();
      keyStorePassword = k.keyStorePassword();
      trustStore = k.trustStore();
      trustStorePassword = k.trustStorePassword();
    } else {
      sslContext = s.sslContext();
    }
  }

  abstract B self();

  /** The charge point's identity (required; the factory's argument). */
  public B identity(String identity) {
    this.identity = identity;
    return self();
  }

  /** The CSMS URL without the identity (required; the factory's argument). */
  public B endpoint(URI endpoint) {
    this.endpoint = endpoint;
    return self();
  }

  /** The OCPP versions to offer, most preferred first (required, at least one). */
  public B protocols(OcppVersion... versions) {
    protocols.clear();
    protocols.addAll(Arrays.asList(versions));
    return self();
  }

  /** Adds (or replaces) a query parameter of the connection URL. */
  public B query(String name, String value) {
    query.put(name, value);
    return self();
  }

  /**
   * Adds (or replaces) a handshake header, for example a {@code User-Agent} of your own (the
   * default names this library and its version). The handshake's own headers and {@code
   * Authorization} (the security profile's) cannot be set.
   */
  public B header(String name, String value) {
    headers.put(name, value);
    return self();
  }

  /** How long a call waits for its answer once sent (default 30 s). */
  public B callTimeout(Duration timeout) {
    this.callTimeout = timeout;
    return self();
  }

  /** How many calls may be in flight at once (default 1, as OCPP-J requires). */
  public B callConcurrency(int limit) {
    this.callConcurrency = limit;
    return self();
  }

  /**
   * How many calls may wait to be sent (default 1,000); the next one fails at once with {@code
   * CallQueueFullException}.
   */
  public B maxQueuedCalls(int limit) {
    this.maxQueuedCalls = limit;
    return self();
  }

  /**
   * The offline queue (default 0: off): while the client is reconnecting, up to {@code capacity}
   * calls wait for the next open with no deadline (their queue deadline starts at that open), and
   * go out in order through the {@code callConcurrency} queue; one more is handled as {@code
   * overflow} says, never silently. Without it, calls made while reconnecting wait as any queued
   * call (at most {@code maxQueuedCalls}, {@code queueTimeout} from {@code call()}). Calls made
   * while CLOSED fail at once either way; the final close fails the waiting ones.
   */
  public B offlineQueue(int capacity, OfflineOverflow overflow) {
    this.offlineQueue = capacity;
    this.offlineOverflow = overflow;
    return self();
  }

  /**
   * How long a call may wait unsent, counted from {@code call()} (default: the call's timeout);
   * then it fails with {@code CallTimeoutException} and never goes out.
   */
  public B queueTimeout(Duration timeout) {
    this.queueTimeout = timeout;
    return self();
  }

  /** Consecutive bad messages after which the client closes with 1002 (default unlimited). */
  public B maxBadMessages(int limit) {
    this.maxBadMessages = limit;
    return self();
  }

  /**
   * Put a failing handler's exception type and message into its InternalError answer (default
   * false: the standard OCPP-J description and empty details).
   */
  public B respondWithDetailedErrors(boolean detailed) {
    this.respondWithDetailedErrors = detailed;
    return self();
  }

  /** How long a connect attempt may take, TCP, TLS and upgrade together (default 30 s). */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return self();
  }

  /** How long close() waits for the peer's close frame before dropping (default 5 s). */
  public B closeTimeout(Duration timeout) {
    this.closeTimeout = timeout;
    return self();
  }

  /**
   * Turns strict mode on for every version, or off (the default): payloads are validated
   * against the OCA JSON schemas. An invalid outgoing call fails locally and is not sent; an
   * invalid incoming call is answered with the CALLERROR its violation maps to; an invalid
   * handler result is not sent, the mapped CALLERROR goes instead; an invalid incoming result
   * fails its call (and, under OCPP 2.1, is answered with a CALLRESULTERROR). Every failure is
   * reported to {@link ClientListener#onStrictValidationFailure}.
   */
  public B strictMode(boolean on) {
    this.strictMode = on ? EnumSet.allOf(OcppVersion.class) : EnumSet.noneOf(OcppVersion.class);
    return self();
  }

  /** Turns strict mode on for these versions only. */
  public B strictMode(OcppVersion... versions) {
    this.strictMode = EnumSet.noneOf(OcppVersion.class);
    this.strictMode.addAll(Arrays.asList(versions));
    return self();
  }

  /** Restricts strict mode to these actions (default: all). */
  public B strictModeMethods(String... actions) {
    this.strictModeMethods = Set.of(actions);
    return self();
  }

  /** Reconnect after the connection drops (default true). */
  public B reconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return self();
  }

  /** Consecutive failed reconnect attempts before the client gives up (default unlimited). */
  public B maxReconnects(int attempts) {
    this.maxReconnects = attempts;
    return self();
  }

  /** The default reconnect policy's first and longest delay (default 1 s and 30 s). */
  public B backoff(Duration min, Duration max) {
    this.backoffMin = min;
    this.backoffMax = max;
    return self();
  }

  /**
   * How long a connection must stay open before the reconnect count starts again (default 60 s),
   * so that a CSMS that accepts and closes at once gets ever longer waits.
   */
  public B backoffResetAfter(Duration stable) {
    this.backoffResetAfter = stable;
    return self();
  }

  /** Also retry when the first {@code connect()} fails (default false). */
  public B retryInitialConnect(boolean retry) {
    this.retryInitialConnect = retry;
    return self();
  }

  /**
   * The delays between reconnect attempts (default: {@link ReconnectPolicy#exponential} of the
   * backoff bounds); {@link ReconnectPolicy#ocpp201} follows OCPP 2.0.1 to the letter.
   */
  public B reconnectPolicy(ReconnectPolicy policy) {
    this.reconnectPolicy = Objects.requireNonNull(policy, "reconnectPolicy");
    return self();
  }

  /** WebSocket ping interval, with ±25 % jitter (default 30 s; {@link Duration#ZERO} turns pings off). */
  public B pingInterval(Duration interval) {
    this.pingInterval = interval;
    return self();
  }

  /** How long a ping may go unanswered before the link counts as dead (default interval + 5 s). */
  public B pongTimeout(Duration timeout) {
    this.pongTimeout = timeout;
    return self();
  }

  /** Skip a ping when a frame arrived within the interval (default false). */
  public B deferPingsOnActivity(boolean defer) {
    this.deferPingsOnActivity = defer;
    return self();
  }

  /** How many of the CSMS's calls the handlers work on at once (default 16); more wait in order. */
  public B handlerConcurrency(int limit) {
    this.handlerConcurrency = limit;
    return self();
  }

  /**
   * How long a CALL from the CSMS may take from its arrival to its answer (default 60 s); then it
   * is answered InternalError and a late result is dropped.
   */
  public B handlerTimeout(Duration timeout) {
    this.handlerTimeout = timeout;
    return self();
  }

  /**
   * Keeps transaction-related messages (1.6: StartTransaction, StopTransaction, MeterValues with
   * a transaction id; 2.x: TransactionEvent) in {@code store} until the CSMS answers them: sent in
   * order, again after a lost connection, retried after a CALLERROR or timeout, and, with a file
   * store, after a restart of the JVM (default: none, such calls are ordinary calls). Fixed at
   * build; a reconfigure may not change it.
   */
  public B transactionStore(dev.ocppj.client.store.TransactionStore store) {
    this.transactionStore = store;
    return self();
  }

  /**
   * How often a transaction-related message is tried when the CSMS answers it with a CALLERROR
   * or not in time (default 3; OCPP 1.6 TransactionMessageAttempts, 2.x
   * MessageAttemptsTransactionEvent); then it is given up and its future fails.
   */
  public B transactionMessageAttempts(int attempts) {
    this.transactionMessageAttempts = attempts;
    return self();
  }

  /**
   * The wait before a failed transaction-related message is tried again, multiplied by the
   * attempts made so far (default 60 s; OCPP 1.6 TransactionMessageRetryInterval, 2.x
   * MessageAttemptIntervalTransactionEvent).
   */
  public B transactionMessageRetryInterval(Duration interval) {
    this.transactionMessageRetryInterval = interval;
    return self();
  }

  /** The largest inbound message, in bytes, whole or in fragments (default 4 MiB); larger: 1009. */
  public B maxMessageSize(int bytes) {
    this.maxMessageSize = bytes;
    return self();
  }

  /**
   * How many bytes of outgoing frames may wait for a CSMS that does not read (default 16 MiB);
   * past it the connection is dropped.
   */
  public B maxOutboundBytes(long bytes) {
    this.maxOutboundBytes = bytes;
    return self();
  }

  /**
   * How many of the CSMS's calls may wait for a handler, and events for listeners, and how much
   * text those calls may hold (defaults 1,000 and 16 MiB), before the client stops reading the
   * socket until half of them are done.
   */
  public B maxInboundBacklog(int messages, long bytes) {
    this.maxInboundBacklog = messages;
    this.maxInboundBacklogBytes = bytes;
    return self();
  }

  /**
   * The WebSocket engine (default {@link Transport#NETTY}: shared event loops, threads flat as
   * clients grow; {@link Transport#JAVA_WEBSOCKET}: two threads per connection).
   */
  public B transport(Transport engine) {
    this.transport = Objects.requireNonNull(engine, "transport");
    return self();
  }

  /**
   * The OCPP security profile (default 0): 1 is HTTP Basic over ws://, 2 HTTP Basic over wss://,
   * 3 a client certificate over wss:// (no Basic). Profiles 1 and 2 need a {@link
   * #password(byte[])}, 2 and 3 a wss:// endpoint, 3 a client certificate ({@link #keyStore} or
   * {@link #sslContext}).
   */
  public B securityProfile(int profile) {
    this.securityProfile = profile;
    return self();
  }

  /** The Basic auth password, as bytes (OCPP allows binary passwords). Never logged. */
  public B password(byte[] password) {
    this.password = password == null ? null : password.clone();
    return self();
  }

  /** The Basic auth password, as UTF-8 text. Never logged. */
  public B password(String password) {
    return password(password == null ? null : password.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The TLS context for wss:// (default: the JVM's), for example with a client certificate. It
   * must be initialised. Replaces key and trust store files set before.
   */
  public B sslContext(SSLContext context) {
    this.sslContext = Objects.requireNonNull(context, "sslContext");
    this.keyStore = null;
    this.keyStorePassword = null;
    this.trustStore = null;
    this.trustStorePassword = null;
    return self();
  }

  /**
   * A key store file (PKCS12 or JKS) with the client certificate and its key, for profile 3. It
   * is read when the options are built; replaces an {@link #sslContext} set before (a trust store
   * file set before stays). After a CertificateSigned, {@code reconfigure(o -> o.keyStore(...))}
   * makes the next connection present the new certificate.
   */
  public B keyStore(Path file, char[] password) {
    this.keyStore = Objects.requireNonNull(file, "keyStore");
    this.keyStorePassword = password == null ? null : password.clone();
    this.sslContext = null;
    return self();
  }

  /**
   * A trust store file (PKCS12 or JKS) with the CA certificates the CSMS's certificate chains
   * to; replaces an {@link #sslContext} set before (a key store file set before stays).
   */
  public B trustStore(Path file, char[] password) {
    this.trustStore = Objects.requireNonNull(file, "trustStore");
    this.trustStorePassword = password == null ? null : password.clone();
    this.sslContext = null;
    return self();
  }

  /**
   * Switches off the check that the CSMS's certificate names the host connected to. Only for
   * test rigs: without it, anyone with a certificate from a trusted CA can impersonate the CSMS.
   */
  public B dangerouslyDisableHostnameVerification() {
    this.hostnameVerification = false;
    return self();
  }

  /** The security part, with the TLS context made from the key material if files were given. */
  Security security() {
    if (keyStore == null && trustStore == null) {
      return new Security(securityProfile, password, usable(sslContext), hostnameVerification, null);
    }
    Security.KeyMaterial material =
        new Security.KeyMaterial(keyStore, keyStorePassword, trustStore, trustStorePassword);
    return new Security(securityProfile, password, tlsContext(), hostnameVerification, material);
  }

  /** Refuses a context that was never initialised: it would fail only at the first connect. */
  private static SSLContext usable(SSLContext context) {
    if (context != null) {
      try {
        context.getSocketFactory();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(
            "sslContext cannot be used: " + e.getMessage() + " (call init(...) on it first)", e);
      }
    }
    return context;
  }

  private SSLContext tlsContext() {
    if (keyStore == null && trustStore == null) {
      return sslContext;
    }
    try {
      KeyManagerFactory kmf = null;
      if (keyStore != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore, keyStorePassword, "keyStore"), keyStorePassword);
      }
      TrustManagerFactory tmf = null;
      if (trustStore != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore, trustStorePassword, "trustStore"));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      // The message names the file and the problem, never the password.
      throw new IllegalArgumentException("cannot set up TLS from the key material: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path file, char[] password, String what) {
    try {
      return KeyStore.getInstance(file.toFile(), password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          what + " " + file + " cannot be read (" + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
  }
}
