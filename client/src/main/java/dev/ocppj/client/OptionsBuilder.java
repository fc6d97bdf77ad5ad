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
  private String identity;
  private URI endpoint;
  private final List<OcppVersion> protocols = new ArrayList<>();
  private final Map<String, String> query = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private Duration callTimeout = ClientOptions.DEFAULT_CALL_TIMEOUT;
  private int callConcurrency = ClientOptions.DEFAULT_CALL_CONCURRENCY;
  private int maxBadMessages = ClientOptions.UNLIMITED;
  private boolean respondWithDetailedErrors;
  private Duration connectTimeout = ClientOptions.DEFAULT_CONNECT_TIMEOUT;
  private Duration closeTimeout = ClientOptions.DEFAULT_CLOSE_TIMEOUT;
  private Set<OcppVersion> strictMode = EnumSet.noneOf(OcppVersion.class);
  private Set<String> strictModeMethods = Set.of();
  private boolean reconnect = true;
  private int maxReconnects = ClientOptions.UNLIMITED;
  private Duration backoffMin = ClientOptions.DEFAULT_BACKOFF_MIN;
  private Duration backoffMax = ClientOptions.DEFAULT_BACKOFF_MAX;
  private boolean retryInitialConnect;
  private ReconnectPolicy reconnectPolicy;
  private Duration pingInterval = ClientOptions.DEFAULT_PING_INTERVAL;
  private Duration pongTimeout;
  private boolean deferPingsOnActivity;
  private int securityProfile;
  private byte[] password;
  private SSLContext sslContext;
  private boolean hostnameVerification = true;
  // Key material files, turned into an SSLContext when the options are built.
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
    retryInitialConnect = from.retryInitialConnect();
    reconnectPolicy = from.reconnectPolicy();
    pingInterval = from.pingInterval();
    pongTimeout = from.pongTimeout();
    deferPingsOnActivity = from.deferPingsOnActivity();
    Security s = from.security();
    securityProfile = s.profile();
    password = s.hasPassword() ? s.password() : null;
    sslContext = s.sslContext();
    hostnameVerification = s.hostnameVerification();
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

  /** The TLS context for wss:// (default: the JVM's), for example with a client certificate. */
  public B sslContext(SSLContext context) {
    this.sslContext = Objects.requireNonNull(context, "sslContext");
    return self();
  }

  /** A key store file (PKCS12 or JKS) with the client certificate and its key, for profile 3. */
  public B keyStore(Path file, char[] password) {
    this.keyStore = Objects.requireNonNull(file, "keyStore");
    this.keyStorePassword = password == null ? null : password.clone();
    return self();
  }

  /** A trust store file (PKCS12 or JKS) with the CA certificates the CSMS's certificate chains to. */
  public B trustStore(Path file, char[] password) {
    this.trustStore = Objects.requireNonNull(file, "trustStore");
    this.trustStorePassword = password == null ? null : password.clone();
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

  ClientOptions buildOptions() {
    return new ClientOptions(
        identity,
        endpoint,
        protocols,
        query,
        headers,
        callTimeout,
        callConcurrency,
        maxBadMessages,
        respondWithDetailedErrors,
        connectTimeout,
        closeTimeout,
        strictMode,
        strictModeMethods,
        reconnect,
        maxReconnects,
        backoffMin,
        backoffMax,
        retryInitialConnect,
        reconnectPolicy,
        pingInterval,
        pongTimeout,
        deferPingsOnActivity,
        new Security(securityProfile, password, tlsContext(), hostnameVerification));
  }

  private SSLContext tlsContext() {
    if (keyStore == null && trustStore == null) {
      return sslContext;
    }
    if (sslContext != null) {
      throw new IllegalArgumentException("set either sslContext or keyStore/trustStore, not both");
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
