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
 * option. Each option's documentation says when a change takes effect.
 *
 * @param identity the charge point's identity: 1 to 48 characters, no {@code :} (it is the Basic
 *     auth user name). A change applies on the next connect or reconnect.
 * @param endpoint the CSMS URL without the identity: {@code ws://} or {@code wss://}, no query.
 *     Next connect.
 * @param protocols the OCPP versions to offer, most preferred first. Next connect.
 * @param query extra query parameters for the connection URL, in order. Next connect.
 * @param headers extra handshake headers, in order. Next connect.
 * @param callTimeout how long a call waits for its answer once sent (default 30 s). Calls made
 *     after a change.
 * @param callConcurrency how many calls may be in flight at once (default 1, as OCPP-J requires).
 *     A change resizes the live queue at once.
 * @param maxBadMessages consecutive bad messages after which the client closes the connection
 *     with 1002 ({@link Integer#MAX_VALUE}, the default, means never). At once.
 * @param respondWithDetailedErrors put a failing handler's exception type and message into the
 *     InternalError it answers with (default false). At once.
 * @param connectTimeout how long a connect attempt may take, TCP, TLS and upgrade together
 *     (default 30 s). Next attempt.
 * @param closeTimeout how long {@code close()} waits for the peer's close frame before it drops
 *     the connection (default 5 s). Next close.
 * @param strictMode the versions whose traffic is validated against the OCA schemas (default
 *     none: strict mode off). At once.
 * @param strictModeMethods the actions strict mode validates; empty (the default) means all.
 * @param reconnect reconnect after a connection drops (default true). Switching it off cancels a
 *     pending attempt at once.
 * @param maxReconnects consecutive failed attempts after which the client gives up ({@link
 *     Integer#MAX_VALUE}, the default, means never). Next disconnect.
 * @param backoffMin the default policy's first delay (default 1 s). Next delay.
 * @param backoffMax the default policy's longest delay (default 30 s). Next delay.
 * @param retryInitialConnect also retry when the first {@code connect()} fails (default false).
 * @param reconnectPolicy the delays between attempts; null means {@link
 *     ReconnectPolicy#exponential} of {@code backoffMin} and {@code backoffMax}. Next delay.
 * @param pingInterval how often to send a WebSocket ping, with ±25 % jitter (default 30 s; zero
 *     turns pings off). Re-armed at once.
 * @param pongTimeout how long to wait for a pong before the link counts as dead and is dropped
 *     (null, the default, means pingInterval + 5 s). Re-armed at once.
 * @param deferPingsOnActivity skip a ping when a frame arrived within the interval (default
 *     false). At once.
 * @param security the security profile and its credentials (default profile 0). Next connect.
 */
public record ClientOptions(
    String identity,
    URI endpoint,
    List<OcppVersion> protocols,
    Map<String, String> query,
    Map<String, String> headers,
    Duration callTimeout,
    int callConcurrency,
    int maxBadMessages,
    boolean respondWithDetailedErrors,
    Duration connectTimeout,
    Duration closeTimeout,
    Set<OcppVersion> strictMode,
    Set<String> strictModeMethods,
    boolean reconnect,
    int maxReconnects,
    Duration backoffMin,
    Duration backoffMax,
    boolean retryInitialConnect,
    ReconnectPolicy reconnectPolicy,
    Duration pingInterval,
    Duration pongTimeout,
    boolean deferPingsOnActivity,
    Security security) {

  /** Default {@link #callTimeout()}. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #callConcurrency()}: OCPP-J allows one CALL in flight per direction. */
  public static final int DEFAULT_CALL_CONCURRENCY = 1;
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
  /** Default {@link #pingInterval()}. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
  /** The longest identity allowed: OCPP 2.0.1's identifierString for a station id. */
  public static final int MAX_IDENTITY_LENGTH = 48;

  // Handshake headers the WebSocket handshake or the security profile own.
  private static final Set<String> RESERVED_HEADERS =
      Set.of("host", "upgrade", "connection", "authorization", "sec-websocket-key",
          "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");

  public ClientOptions {
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
    requireOption(endpoint, "endpoint");
    validateEndpoint(endpoint);
    requireOption(protocols, "protocols");
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("protocols must name at least one OCPP version");
    }
    EnumSet<OcppVersion> seen = EnumSet.noneOf(OcppVersion.class);
    for (OcppVersion v : protocols) {
      requireOption(v, "protocols element");
      if (!seen.add(v)) {
        throw new IllegalArgumentException("protocols lists " + v + " twice: " + protocols);
      }
    }
    protocols = List.copyOf(protocols);
    query = orderedCopy(query, "query parameter");
    headers = orderedCopy(headers, "header");
    for (String name : headers.keySet()) {
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "header " + name + " is set by the WebSocket handshake or the security profile");
      }
      if (!name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
        throw new IllegalArgumentException("header name is not an HTTP token: " + name);
      }
    }
    requirePositive(callTimeout, "callTimeout");
    if (callConcurrency < 1) {
      throw new IllegalArgumentException("callConcurrency must be at least 1: " + callConcurrency);
    }
    if (maxBadMessages < 1) {
      throw new IllegalArgumentException("maxBadMessages must be at least 1: " + maxBadMessages);
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(closeTimeout, "closeTimeout");
    requireOption(strictMode, "strictMode");
    strictMode =
        strictMode.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(strictMode));
    requireOption(strictModeMethods, "strictModeMethods");
    for (String m : strictModeMethods) {
      if (m == null || m.isEmpty()) {
        throw new IllegalArgumentException("strictModeMethods must not contain empty names");
      }
    }
    strictModeMethods = Set.copyOf(strictModeMethods);
    if (maxReconnects < 0) {
      throw new IllegalArgumentException("maxReconnects must not be negative: " + maxReconnects);
    }
    requirePositive(backoffMin, "backoffMin");
    requirePositive(backoffMax, "backoffMax");
    if (backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException(
          "backoffMax " + backoffMax + " must not be below backoffMin " + backoffMin);
    }
    requireOption(pingInterval, "pingInterval");
    if (pingInterval.isNegative()) {
      throw new IllegalArgumentException("pingInterval must not be negative: " + pingInterval);
    }
    if (pongTimeout != null && (pongTimeout.isNegative() || pongTimeout.isZero())) {
      throw new IllegalArgumentException("pongTimeout must be positive: " + pongTimeout);
    }
    requireOption(security, "security");
    validateSecurity(endpoint, security);
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

  private static void requireOption(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static void requirePositive(Duration d, String name) {
    requireOption(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
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
        + ", connectTimeout=" + connectTimeout + ", closeTimeout=" + closeTimeout
        + ", strictMode=" + strictMode + ", strictModeMethods=" + strictModeMethods
        + ", reconnect=" + reconnect + ", maxReconnects=" + maxReconnects
        + ", backoff=" + backoffMin + ".." + backoffMax + ", retryInitialConnect=" + retryInitialConnect
        + ", reconnectPolicy=" + (reconnectPolicy == null ? "default" : reconnectPolicy)
        + ", pingInterval=" + pingInterval + ", pongTimeout=" + effectivePongTimeout()
        + ", deferPingsOnActivity=" + deferPingsOnActivity + ", security=" + security + "}";
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
      return buildOptions();
    }
  }
}
