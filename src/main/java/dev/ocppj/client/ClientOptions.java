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
 * A client's validated, immutable options. Built by {@link OcppClient.Builder}; every invalid
 * value fails there with a message that names the option.
 *
 * @param identity the charge point's identity: 1 to 48 characters, no {@code :} (it is the Basic
 *     auth user name)
 * @param endpoint the CSMS URL without the identity: {@code ws://} or {@code wss://}, no query
 * @param protocols the OCPP versions to offer, most preferred first
 * @param query extra query parameters for the connection URL, in order
 * @param callTimeout how long a call waits for its answer once sent (default 30 s)
 * @param callConcurrency how many calls may be in flight at once (default 1, as OCPP-J requires)
 * @param maxBadMessages consecutive bad messages after which the client closes the connection
 *     with 1002 ({@link Integer#MAX_VALUE}, the default, means never)
 * @param respondWithDetailedErrors put a failing handler's exception type and message into the
 *     InternalError it answers with (default false)
 * @param connectTimeout how long a connect attempt may take, TCP, TLS and upgrade together
 *     (default 30 s)
 * @param closeTimeout how long {@code close()} waits for the peer's close frame before it drops
 *     the connection (default 5 s)
 * @param strictMode the versions whose traffic is validated against the OCA schemas (default
 *     none: strict mode off)
 * @param strictModeMethods the actions strict mode validates; empty (the default) means all
 */
public record ClientOptions(
    String identity,
    URI endpoint,
    List<OcppVersion> protocols,
    Map<String, String> query,
    Duration callTimeout,
    int callConcurrency,
    int maxBadMessages,
    boolean respondWithDetailedErrors,
    Duration connectTimeout,
    Duration closeTimeout,
    Set<OcppVersion> strictMode,
    Set<String> strictModeMethods) {

  /** Default {@link #callTimeout()}. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #callConcurrency()}: OCPP-J allows one CALL in flight per direction. */
  public static final int DEFAULT_CALL_CONCURRENCY = 1;
  /** Default {@link #maxBadMessages()}: unlimited. */
  public static final int UNLIMITED_BAD_MESSAGES = Integer.MAX_VALUE;
  /** Default {@link #connectTimeout()}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #closeTimeout()}. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** The longest identity allowed: OCPP 2.0.1's identifierString for a station id. */
  public static final int MAX_IDENTITY_LENGTH = 48;

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
    requireOption(query, "query");
    Map<String, String> q = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : query.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException("query parameter names must not be empty: " + query);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("query parameter " + e.getKey() + " has no value");
      }
      q.put(e.getKey(), e.getValue());
    }
    query = Collections.unmodifiableMap(q);
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
    strictMode = strictMode.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(strictMode));
    requireOption(strictModeMethods, "strictModeMethods");
    for (String m : strictModeMethods) {
      if (m == null || m.isEmpty()) {
        throw new IllegalArgumentException("strictModeMethods must not contain empty names");
      }
    }
    strictModeMethods = Set.copyOf(strictModeMethods);
  }

  /** True if strict mode validates {@code action}'s payloads on a {@code version} connection. */
  public boolean isStrict(OcppVersion version, String action) {
    return version != null
        && strictMode.contains(version)
        && (strictModeMethods.isEmpty() || strictModeMethods.contains(action));
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
}
