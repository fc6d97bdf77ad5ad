package dev.ocppj.client;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A client's validated, immutable options. Built by {@link OcppClient.Builder}, changed with
 * {@link OcppClient#reconfigure}; an invalid value fails there with a message that names the
 * option. Each accessor says the option's default and when a change takes effect. A class rather
 * than a record, so that new options never break code that uses these.
 */
public final class ClientOptions {

  /** Default {@link #callTimeout()}. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #callConcurrency()}: OCPP-J allows one CALL in flight per direction. */
  public static final int DEFAULT_CALL_CONCURRENCY = 1;
  /** Default {@link #maxQueuedCalls()}. */
  public static final int DEFAULT_MAX_QUEUED_CALLS = 1000;
  /** {@link #maxBadMessages()} and {@link #maxReconnects()} value for unlimited. */
  public static final int UNLIMITED = Integer.MAX_VALUE;
  /** Default {@link #connectTimeout()}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #closeTimeout()}. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** Default {@link #backoffMin()}. */
  public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofSeconds(1);
  /** Default {@link #backoffMax()}. */
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
  /** Default {@link #backoffResetAfter()}. */
  public static final Duration DEFAULT_BACKOFF_RESET_AFTER = Duration.ofSeconds(60);
  /** Default {@link #pingInterval()}. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
  /** Default {@link #handlerConcurrency()}. */
  public static final int DEFAULT_HANDLER_CONCURRENCY = 16;
  /** Default {@link #handlerTimeout()}. */
  public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(60);
  /** Default {@link #transactionMessageAttempts()}. */
  public static final int DEFAULT_TRANSACTION_MESSAGE_ATTEMPTS = 3;
  /** Default {@link #transactionMessageRetryInterval()}. */
  public static final Duration DEFAULT_TRANSACTION_MESSAGE_RETRY_INTERVAL = Duration.ofSeconds(60);
  /** Default {@link #maxMessageSize()}: 4 MiB, far above any OCPP message. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
  /** Default {@link #maxOutboundBytes()}: 16 MiB, as OkHttp's WebSocket. */
  public static final long DEFAULT_MAX_OUTBOUND_BYTES = 16L * 1024 * 1024;
  /** Default {@link #maxInboundBacklog()}. */
  public static final int DEFAULT_MAX_INBOUND_BACKLOG = 1000;
  /** Default {@link #maxInboundBacklogBytes()}: 16 MiB. */
  public static final long DEFAULT_MAX_INBOUND_BACKLOG_BYTES = 16L * 1024 * 1024;
  /** Default {@link #transport()}. */
  public static final Transport DEFAULT_TRANSPORT = Transport.NETTY;
  /** The longest identity allowed: OCPP 2.0.1's identifierString for a station id. */
  public static final int MAX_IDENTITY_LENGTH = 48;

  // Handshake headers the WebSocket handshake or the security profile own.
  private static final Set<String> RESERVED_HEADERS =
      Set.of("host", "upgrade", "connection", "authorization", "sec-websocket-key",
          "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");

  private final String identity;
  private final URI endpoint;
  private final List<OcppVersion> protocols;
  private final Map<String, String> query;
  private final Map<String, String> headers;
  private final Duration callTimeout;
  private final int callConcurrency;
  private final int maxQueuedCalls;
  private final Duration queueTimeout;
  private final int maxBadMessages;
  private final boolean respondWithDetailedErrors;
  private final Duration connectTimeout;
  private final Duration closeTimeout;
  private final Set<OcppVersion> strictMode;
  private final Set<String> strictModeMethods;
  private final boolean reconnect;
  private final int maxReconnects;
  private final Duration backoffMin;
  private final Duration backoffMax;
  private final Duration backoffResetAfter;
  private final boolean retryInitialConnect;
  private final ReconnectPolicy reconnectPolicy;
  private final Duration pingInterval;
  private final Duration pongTimeout;
  private final boolean deferPingsOnActivity;
  private final int handlerConcurrency;
  private final Duration handlerTimeout;
  private final int offlineQueue;
  private final OfflineOverflow offlineOverflow;
  private final dev.ocppj.client.store.TransactionStore transactionStore;
  private final int transactionMessageAttempts;
  private final Duration transactionMessageRetryInterval;
  private final int maxMessageSize;
  private final long maxOutboundBytes;
  private final int maxInboundBacklog;
  private final long maxInboundBacklogBytes;
  private final Transport transport;
  private final Security security;

  ClientOptions(OptionsBuilder<?> b) {
    identity = b.identity;
    requireOption(identity, "identity");
    if (identity.isEmpty() || identity.length() > MAX_IDENTITY_LENGTH) {
      throw new IllegalArgumentException(
          "identity must be 1 to " + MAX_IDENTITY_LENGTH + " characters, was "
              + identity.length() + ": " + identity);
    }
    if (identity.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "identity must not contain ':' (it is the Basic auth user name): " + identity);
    }
    if (identity.equals(".") || identity.equals("..")) {
      // A dot segment: servers and proxies normalise "/ocpp/.." to "/", encoded or not (RFC 3986 6.2.2.2).
      throw new IllegalArgumentException(
          "identity must not be '.' or '..' (a dot path segment, which the URL would normalise away): "
              + identity);
    }
    endpoint = b.endpoint;
    requireOption(endpoint, "endpoint");
    validateEndpoint(endpoint);
    requireOption(b.protocols, "protocols");
    if (b.protocols.isEmpty()) {
      throw new IllegalArgumentException("protocols must name at least one OCPP version");
    }
    EnumSet<OcppVersion> seen = EnumSet.noneOf(OcppVersion.class);
    for (OcppVersion v : b.protocols) {
      requireOption(v, "protocols element");
      if (!seen.add(v)) {
        throw new IllegalArgumentException("protocols lists " + v + " twice: " + b.protocols);
      }
    }
    protocols = List.copyOf(b.protocols);
    query = orderedCopy(b.query, "query parameter");
    headers = orderedCopy(b.headers, "header");
    for (String name : headers.keySet()) {
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "header " + name + " is set by the WebSocket handshake or the security profile");
      }
      if (name.isEmpty()
          || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
        throw new IllegalArgumentException("header name is not an HTTP token: '" + name + "'");
      }
      String value = headers.get(name);
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        // RFC 9110 field-value: visible ASCII, obs-text, space and tab; CR or LF would end the
        // header line and let the value inject headers of its own.
        if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
          throw new IllegalArgumentException(String.format(
              "header %s: value has a forbidden character U+%04X at index %d (control characters,"
                  + " CR and LF are not allowed in an HTTP header)", name, (int) c, i));
        }
      }
    }
    callTimeout = requirePositive(b.callTimeout, "callTimeout");
    callConcurrency = atLeastOne(b.callConcurrency, "callConcurrency");
    maxQueuedCalls = b.maxQueuedCalls;
    if (maxQueuedCalls < 0) {
      throw new IllegalArgumentException("maxQueuedCalls must not be negative: " + maxQueuedCalls);
    }
    queueTimeout = b.queueTimeout == null ? null : requirePositive(b.queueTimeout, "queueTimeout");
    maxBadMessages = atLeastOne(b.maxBadMessages, "maxBadMessages");
    respondWithDetailedErrors = b.respondWithDetailedErrors;
    connectTimeout = requirePositive(b.connectTimeout, "connectTimeout");
    closeTimeout = requirePositive(b.closeTimeout, "closeTimeout");
    requireOption(b.strictMode, "strictMode");
    strictMode =
        b.strictMode.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(b.strictMode));
    requireOption(b.strictModeMethods, "strictModeMethods");
    for (String m : b.strictModeMethods) {
      if (m == null || m.isEmpty()) {
        throw new IllegalArgumentException("strictModeMethods must not contain empty names");
      }
    }
    strictModeMethods = Set.copyOf(b.strictModeMethods);
    reconnect = b.reconnect;
    maxReconnects = b.maxReconnects;
    if (maxReconnects < 0) {
      throw new IllegalArgumentException("maxReconnects must not be negative: " + maxReconnects);
    }
    backoffMin = requirePositive(b.backoffMin, "backoffMin");
    backoffMax = requirePositive(b.backoffMax, "backoffMax");
    if (backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException(
          "backoffMax " + backoffMax + " must not be below backoffMin " + backoffMin);
    }
    backoffResetAfter = requireOption(b.backoffResetAfter, "backoffResetAfter");
    if (backoffResetAfter.isNegative()) {
      throw new IllegalArgumentException("backoffResetAfter must not be negative: " + backoffResetAfter);
    }
    retryInitialConnect = b.retryInitialConnect;
    reconnectPolicy = b.reconnectPolicy;
    pingInterval = requireOption(b.pingInterval, "pingInterval");
    if (pingInterval.isNegative()) {
      throw new IllegalArgumentException("pingInterval must not be negative: " + pingInterval);
    }
    pongTimeout = b.pongTimeout == null ? null : requirePositive(b.pongTimeout, "pongTimeout");
    deferPingsOnActivity = b.deferPingsOnActivity;
    handlerConcurrency = atLeastOne(b.handlerConcurrency, "handlerConcurrency");
    handlerTimeout = requirePositive(b.handlerTimeout, "handlerTimeout");
    transactionStore = b.transactionStore;
    offlineQueue = b.offlineQueue;
    if (offlineQueue < 0) {
      throw new IllegalArgumentException("offlineQueue capacity must not be negative: " + offlineQueue);
    }
    offlineOverflow = requireOption(b.offlineOverflow, "offlineOverflow");
    transactionMessageAttempts = atLeastOne(b.transactionMessageAttempts, "transactionMessageAttempts");
    transactionMessageRetryInterval = requirePositive(b.transactionMessageRetryInterval, "transactionMessageRetryInterval");
    maxMessageSize = b.maxMessageSize;
    if (maxMessageSize < 1024) {
      throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes: " + maxMessageSize);
    }
    maxOutboundBytes = b.maxOutboundBytes;
    if (maxOutboundBytes < maxMessageSize) {
      throw new IllegalArgumentException(
          "maxOutboundBytes " + maxOutboundBytes + " must be at least maxMessageSize " + maxMessageSize);
    }
    maxInboundBacklog = atLeastOne(b.maxInboundBacklog, "maxInboundBacklog");
    maxInboundBacklogBytes = b.maxInboundBacklogBytes;
    if (maxInboundBacklogBytes < maxMessageSize) {
      throw new IllegalArgumentException(
          "maxInboundBacklogBytes " + maxInboundBacklogBytes + " must be at least maxMessageSize " + maxMessageSize);
    }
    transport = requireOption(b.transport, "transport");
    security = b.security();
    requireOption(security, "security");
    validateSecurity(endpoint, security);
  }

  /** The charge point's identity: 1 to 48 characters, no {@code :}. Next connect. */
  public String identity() {
    return identity;
  }

  /** The CSMS URL without the identity: {@code ws://} or {@code wss://}, no query. Next connect. */
  public URI endpoint() {
    return endpoint;
  }

  /** The OCPP versions to offer, most preferred first. Next connect. */
  public List<OcppVersion> protocols() {
    return protocols;
  }

  /** Extra query parameters for the connection URL, in order. Next connect. */
  public Map<String, String> query() {
    return query;
  }

  /** Extra handshake headers, in order. Next connect. */
  public Map<String, String> headers() {
    return headers;
  }

  /** How long a sent call waits for its answer (default 30 s). Calls made after a change. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** How many calls may be in flight at once (default 1, as OCPP-J requires). At once. */
  public int callConcurrency() {
    return callConcurrency;
  }

  /**
   * How many calls may wait to be sent, behind {@code callConcurrency} or for a connection
   * (default 1,000); the next call fails at once with {@code CallQueueFullException}. At once.
   */
  public int maxQueuedCalls() {
    return maxQueuedCalls;
  }

  /**
   * How long a call may wait unsent, counted from {@code call()}; it then fails with a {@code
   * CallTimeoutException} and is never sent. Null (the default) means the call's own timeout.
   * Calls made after a change.
   */
  public Duration queueTimeout() {
    return queueTimeout;
  }

  /** The queue timeout in force for a call with {@code timeout}. */
  public Duration effectiveQueueTimeout(Duration timeout) {
    return queueTimeout != null ? queueTimeout : timeout;
  }

  /**
   * Consecutive bad messages after which the client closes with 1002 ({@link #UNLIMITED}, the
   * default, means never). At once.
   */
  public int maxBadMessages() {
    return maxBadMessages;
  }

  /** Put a failing handler's exception type and message into its InternalError (default false). */
  public boolean respondWithDetailedErrors() {
    return respondWithDetailedErrors;
  }

  /** How long a connect attempt may take, TCP, TLS and upgrade together (default 30 s). */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long {@code close()} waits for the peer's close frame (default 5 s). Next close. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** The versions whose traffic strict mode validates (default none). At once. */
  public Set<OcppVersion> strictMode() {
    return strictMode;
  }

  /** The actions strict mode validates; empty (the default) means all. */
  public Set<String> strictModeMethods() {
    return strictModeMethods;
  }

  /** Reconnect after a connection drops (default true). Switching it off stops a pending attempt. */
  public boolean reconnect() {
    return reconnect;
  }

  /** Consecutive reconnect attempts after which the client gives up (default unlimited). */
  public int maxReconnects() {
    return maxReconnects;
  }

  /** The default policy's first delay (default 1 s). */
  public Duration backoffMin() {
    return backoffMin;
  }

  /** The default policy's longest delay (default 30 s). */
  public Duration backoffMax() {
    return backoffMax;
  }

  /**
   * How long a connection must stay open before the reconnect count starts again (default 60
   * s): a CSMS that accepts the upgrade and closes at once gets ever longer waits, not a
   * reconnect every second. Next disconnect.
   */
  public Duration backoffResetAfter() {
    return backoffResetAfter;
  }

  /** Also retry when the first {@code connect()} fails (default false). */
  public boolean retryInitialConnect() {
    return retryInitialConnect;
  }

  /** The delays between attempts; null means the exponential policy of the backoff bounds. */
  public ReconnectPolicy reconnectPolicy() {
    return reconnectPolicy;
  }

  /** How often to ping, ±25 % jitter (default 30 s; zero turns pings off). Re-armed at once. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /** How long a ping may go unanswered (null, the default: pingInterval + 5 s). At once. */
  public Duration pongTimeout() {
    return pongTimeout;
  }

  /** Skip a ping when a frame arrived within the interval (default false). At once. */
  public boolean deferPingsOnActivity() {
    return deferPingsOnActivity;
  }

  /**
   * How many of the CSMS's calls this client's handlers work on at once (default 16); more wait,
   * in arrival order. Next CALL.
   */
  public int handlerConcurrency() {
    return handlerConcurrency;
  }

  /**
   * How long a CALL from the CSMS may wait for and run in its handler (default 60 s), counted
   * from its arrival; then it is answered InternalError, and a late result is dropped. Next CALL.
   */
  public Duration handlerTimeout() {
    return handlerTimeout;
  }

  /** The offline queue's capacity; 0: off. Next disconnection. */
  public int offlineQueue() {
    return offlineQueue;
  }

  /** What a full offline queue does with one more call. Next call. */
  public OfflineOverflow offlineOverflow() {
    return offlineOverflow;
  }

  /** Where transaction-related messages wait until answered; null: no such guarantee. Build only. */
  public dev.ocppj.client.store.TransactionStore transactionStore() {
    return transactionStore;
  }

  /** How often a transaction-related message is tried before it is given up. Next failure. */
  public int transactionMessageAttempts() {
    return transactionMessageAttempts;
  }

  /** The wait before a retry, times the attempts so far. Next failure. */
  public Duration transactionMessageRetryInterval() {
    return transactionMessageRetryInterval;
  }

  /**
   * The largest message the client accepts, whole or in fragments (default 4 MiB); a larger one
   * closes the connection with 1009 before it is buffered. Next connect.
   */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /**
   * How many bytes of outgoing frames may wait for a CSMS that does not read (default 16 MiB);
   * past it the connection is dropped and its calls fail. Next connect.
   */
  public long maxOutboundBytes() {
    return maxOutboundBytes;
  }

  /**
   * How many of the CSMS's calls may wait for a handler, and events for listeners (default
   * 1,000), before the client stops reading from the socket until half of them are done: TCP
   * backpressure instead of an unbounded queue. At once.
   */
  public int maxInboundBacklog() {
    return maxInboundBacklog;
  }

  /** The same bound for the text size of the waiting calls (default 16 MiB). At once. */
  public long maxInboundBacklogBytes() {
    return maxInboundBacklogBytes;
  }

  /** The WebSocket engine (default {@link Transport#NETTY}). Next connect. */
  public Transport transport() {
    return transport;
  }

  /** The security profile and its credentials (default profile 0). Next connect. */
  public Security security() {
    return security;
  }

  private static Map<String, String> orderedCopy(Map<String, String> map, String what) {
    requireOption(map, what + "s");
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException(what + " names must not be empty");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(what + " " + e.getKey() + " has no value");
      }
      copy.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  private static void validateEndpoint(URI endpoint) {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("endpoint must be a ws:// or wss:// URL: " + endpoint);
    }
    if (endpoint.getHost() == null) {
      throw new IllegalArgumentException("endpoint has no host: " + endpoint);
    }
    if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "endpoint must not have a query or fragment; pass query parameters with query(...): "
              + endpoint);
    }
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "endpoint must not carry user info; credentials go in the security profile: "
              + endpoint.getHost());
    }
  }

  private static void validateSecurity(URI endpoint, Security s) {
    boolean tls = "wss".equalsIgnoreCase(endpoint.getScheme());
    int p = s.profile();
    if (p < 0 || p > 3) {
      throw new IllegalArgumentException("securityProfile must be 0 to 3: " + p);
    }
    if ((p == 2 || p == 3) && !tls) {
      throw new IllegalArgumentException(
          "securityProfile " + p + " requires TLS: the endpoint must be wss://, was " + endpoint);
    }
    if ((p == 1 || p == 2) && !s.hasPassword()) {
      throw new IllegalArgumentException(
          "securityProfile " + p + " authenticates with HTTP Basic: set a password");
    }
    if ((p == 0 || p == 3) && s.hasPassword()) {
      throw new IllegalArgumentException(
          "securityProfile " + p + " sends no Basic auth: remove the password or use profile "
              + (p == 0 ? "1 or 2" : "2"));
    }
    if (p == 3 && s.sslContext() == null) {
      throw new IllegalArgumentException(
          "securityProfile 3 authenticates with a client certificate: set keyStore(...) or sslContext(...)");
    }
  }

  private static <T> T requireOption(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static Duration requirePositive(Duration d, String name) {
    requireOption(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  private static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value);
    }
    return value;
  }

  /** True if strict mode validates {@code action}'s payloads on a {@code version} connection. */
  public boolean isStrict(OcppVersion version, String action) {
    return version != null
        && strictMode.contains(version)
        && (strictModeMethods.isEmpty() || strictModeMethods.contains(action));
  }

  /** The policy in force: {@link #reconnectPolicy()}, or the default exponential one. */
  public ReconnectPolicy effectiveReconnectPolicy() {
    return reconnectPolicy != null
        ? reconnectPolicy
        : ReconnectPolicy.exponential(backoffMin, backoffMax);
  }

  /** The pong timeout in force: {@link #pongTimeout()}, or the ping interval plus 5 s. */
  public Duration effectivePongTimeout() {
    return pongTimeout != null ? pongTimeout : pingInterval.plusSeconds(5);
  }

  /**
   * The URL a connect attempt uses: the endpoint, a {@code /}, the identity percent-encoded per
   * RFC 3986 (a space is {@code %20}), then the query.
   */
  public URI connectionUrl() {
    String base = endpoint.toString();
    StringBuilder url = new StringBuilder(base);
    if (!base.endsWith("/")) {
      url.append('/');
    }
    PercentEncoding.encode(identity, url);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      url.append(sep);
      PercentEncoding.encode(e.getKey(), url);
      url.append('=');
      PercentEncoding.encode(e.getValue(), url);
      sep = '&';
    }
    return URI.create(url.toString());
  }

  /** A builder holding these options, for {@link OcppClient#reconfigure}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String toString() {
    // Header values may be tokens: names only. The security part redacts itself.
    return "ClientOptions{identity=" + identity + ", endpoint=" + endpoint + ", protocols=" + protocols
        + ", query=" + query.keySet() + ", headers=" + headers.keySet()
        + ", callTimeout=" + callTimeout + ", callConcurrency=" + callConcurrency
        + ", maxBadMessages=" + maxBadMessages + ", respondWithDetailedErrors=" + respondWithDetailedErrors
        + ", maxQueuedCalls=" + maxQueuedCalls + ", queueTimeout=" + (queueTimeout == null ? "callTimeout" : queueTimeout)
        + ", connectTimeout=" + connectTimeout + ", closeTimeout=" + closeTimeout
        + ", strictMode=" + strictMode + ", strictModeMethods=" + strictModeMethods
        + ", reconnect=" + reconnect + ", maxReconnects=" + maxReconnects
        + ", backoff=" + backoffMin + ".." + backoffMax + ", retryInitialConnect=" + retryInitialConnect
        + ", reconnectPolicy=" + (reconnectPolicy == null ? "default" : reconnectPolicy)
        + ", pingInterval=" + pingInterval + ", pongTimeout=" + effectivePongTimeout()
        + ", deferPingsOnActivity=" + deferPingsOnActivity + ", backoffResetAfter=" + backoffResetAfter
        + ", handlerConcurrency=" + handlerConcurrency + ", handlerTimeout=" + handlerTimeout
        + ", maxMessageSize=" + maxMessageSize + ", maxOutboundBytes=" + maxOutboundBytes
        + ", maxInboundBacklog=" + maxInboundBacklog + "/" + maxInboundBacklogBytes + " bytes"
        + ", transport=" + transport + ", security=" + security + "}";
  }

  /** Builds {@link ClientOptions}; used by {@link OcppClient#reconfigure}. */
  public static final class Builder extends OptionsBuilder<Builder> {
    Builder(ClientOptions from) {
      super(from);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds the options. */
    public ClientOptions build() {
      return new ClientOptions(this);
    }
  }
}
