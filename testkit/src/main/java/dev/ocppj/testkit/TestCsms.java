package dev.ocppj.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process CSMS for tests, like OkHttp's MockWebServer for OCPP-J: a WebSocket server on
 * 127.0.0.1 and an ephemeral port that accepts charge points, answers their calls from a script
 * (or with a schema-valid default for every action of OCPP 1.6, 2.0.1 and 2.1), records every
 * frame both ways, sends calls of its own, and injects faults.
 *
 * <pre>{@code
 * try (TestCsms csms = TestCsms.start()) {
 *   csms.answer("Authorize", req -> Map.of("idTagInfo", Map.of("status", "Blocked")));
 *   // ... connect a charge point to csms.endpoint() ...
 *   Frame boot = csms.awaitCall("BootNotification");      // waits, bounded
 *   ChargePoint cp = csms.lastChargePoint();
 *   Frame answer = cp.call("Reset", Map.of("type", "Soft")).join();
 *   cp.drop();                                            // a network failure
 * }
 * }</pre>
 *
 * <p>Every wait is bounded ({@link #WAIT} unless given); nothing needs a sleep. Thread-safe.
 */
public final class TestCsms implements AutoCloseable {
  /** How long the blocking methods wait by default. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final CsmsServer server;
  private final boolean tls;
  // TLS in front of the server, when there is TLS.
  private final TlsTerminator terminator;
  private final FrameQueue received = new FrameQueue();
  private final List<Frame> transcript = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Function<Frame, String>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final List<ChargePoint> chargePoints = new CopyOnWriteArrayList<>();
  private final Map<String, ChargePoint> latest = new ConcurrentHashMap<>(); // by identity
  private final BlockingQueue<ChargePoint> connected = new LinkedBlockingQueue<>();
  private final AtomicInteger serverIds = new AtomicInteger();
  private final DefaultAnswers defaults = new DefaultAnswers();
  private final ScheduledExecutorService delayer;
  private final boolean recording;
  // Negotiation and upgrade settings, read by the server thread.
  volatile List<String> supported = List.of("ocpp1.6", "ocpp2.0.1", "ocpp2.1");
  volatile String forcedProtocol; // null: negotiate; "": select none
  volatile Set<String> identities; // null: any
  final Map<String, byte[]> passwords = new ConcurrentHashMap<>();
  final AtomicInteger rejectCount = new AtomicInteger();
  volatile int rejectStatus;
  final AtomicInteger upgrades = new AtomicInteger();
  private volatile Consumer<ChargePoint> onConnect = cp -> {};

  private TestCsms(Builder b) {
    this.tls = b.tls != null;
    this.recording = b.recording;
    this.delayer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "test-csms-timer");
              t.setDaemon(true);
              return t;
            });
    this.server = new CsmsServer(this, new InetSocketAddress(b.host, b.tls != null ? 0 : b.port));
    if (b.protocols != null) {
      supported = b.protocols;
    }
    identities = b.identities;
    passwords.putAll(b.passwords);
    server.start();
    server.awaitStarted();
    try {
      terminator =
          b.tls == null
              ? null
              : new TlsTerminator(
                  b.tls, b.needClientAuth, b.host, b.port, new InetSocketAddress(b.host, server.getPort()));
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot start the test CSMS's TLS listener", e);
    }
    delayer.scheduleWithFixedDelay(server::rearmStalledWrites, 50, 50, TimeUnit.MILLISECONDS);
  }

  /** Starts a CSMS on 127.0.0.1 and an ephemeral port, accepting any identity and OCPP version. */
  public static TestCsms start() {
    return builder().start();
  }

  /** A builder for a CSMS with TLS, Basic auth, fixed identities or protocols. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a wss:// CSMS with {@code tlsContext}'s certificate; with {@code needClientAuth} the
   * TLS handshake requires a client certificate the context trusts (security profile 3).
   */
  public static TestCsms startTls(SSLContext tlsContext, boolean needClientAuth) {
    return builder().tls(tlsContext, needClientAuth).start();
  }

  /** The port the CSMS listens on. */
  public int port() {
    return terminator != null ? terminator.port() : server.getPort();
  }

  /** The subject of the client certificate behind a connection, for {@link ChargePoint}. */
  String clientCertificateSubject(InetSocketAddress peer) {
    return terminator == null || peer == null ? null : terminator.clientCertificateSubject(peer.getPort());
  }

  /** The endpoint charge points connect to: {@code ws://127.0.0.1:<port>/ocpp} (wss:// with TLS). */
  public URI endpoint() {
    return URI.create((tls ? "wss" : "ws") + "://" + server.host() + ":" + port() + "/ocpp");
  }

  // ---- negotiation and upgrade faults

  /** The OCPP versions the CSMS accepts; it selects the first one the charge point offers. */
  public TestCsms supportedProtocols(String... protocols) {
    supported = List.of(protocols);
    return this;
  }

  /** Answers every upgrade with {@code protocol}, offered or not; "" selects none. */
  public TestCsms forceProtocol(String protocol) {
    forcedProtocol = protocol;
    return this;
  }

  /** Answers the next {@code count} upgrades with HTTP {@code status} instead of 101. */
  public TestCsms rejectUpgrades(int count, int status) {
    rejectStatus = status;
    rejectCount.set(count);
    return this;
  }

  /**
   * Requires HTTP Basic auth (security profiles 1 and 2) from {@code identity} with {@code
   * password}; a wrong or missing Authorization header is answered with HTTP 401.
   */
  public TestCsms requireBasicAuth(String identity, byte[] password) {
    passwords.put(identity, password.clone());
    return this;
  }

  /** The number of upgrade requests received so far. */
  public int upgradeRequests() {
    return upgrades.get();
  }

  /** Runs {@code action} for every charge point that connects, on the server's thread. */
  public TestCsms onConnect(Consumer<ChargePoint> action) {
    this.onConnect = action;
    return this;
  }

  // ---- scripted answers to the charge points' calls

  /** Answers calls of {@code action} with the payload {@code reply} makes from the call's params. */
  public TestCsms answer(String action, Function<JsonNode, Object> reply) {
    scripts.put(action, f -> encode(3, f.messageId(), JSON.valueToTree(reply.apply(f.payload()))));
    return this;
  }

  /**
   * Answers calls of {@code action} with the payload {@code reply} makes from the calling charge
   * point and the call's params, for answers that depend on who asks.
   */
  public TestCsms answer(String action, BiFunction<ChargePoint, JsonNode, Object> reply) {
    scripts.put(
        action,
        f -> encode(3, f.messageId(), JSON.valueToTree(reply.apply(f.chargePoint(), f.payload()))));
    return this;
  }

  /** Answers calls of {@code action} with a CALLERROR. */
  public TestCsms answerError(String action, String code, String description, JsonNode details) {
    scripts.put(action, f -> encodeError(f.messageId(), code, description, details));
    return this;
  }

  /** Answers calls of {@code action} with the raw text {@code frame} makes (it may be malformed). */
  public TestCsms answerRaw(String action, Function<Frame, String> frame) {
    scripts.put(action, frame);
    return this;
  }

  /** Does not answer calls of {@code action}: the charge point's call times out. */
  public TestCsms noAnswer(String action) {
    scripts.put(action, f -> null);
    return this;
  }

  /** Answers calls of {@code action} (scripted or default) only after {@code delay}. */
  public TestCsms answerDelay(String action, Duration delay) {
    delays.put(action, delay);
    return this;
  }

  /** Back to the default answer for {@code action}. */
  public TestCsms defaultAnswer(String action) {
    scripts.remove(action);
    delays.remove(action);
    return this;
  }

  /**
   * The answer the CSMS gives to an unscripted call: a response the OCA schema of {@code
   * action} in {@code protocol} accepts, or {@code {}} for a vendor action.
   */
  public static ObjectNode defaultAnswer(String protocol, String action, JsonNode request) {
    return new DefaultAnswers().answer(protocol, action, request);
  }

  // ---- what the charge points sent

  /** The next frame any charge point sent, waiting at most {@link #WAIT}. */
  public Frame takeFrame() {
    return takeFrame(WAIT);
  }

  /** The next frame any charge point sent, waiting at most {@code timeout}. */
  public Frame takeFrame(Duration timeout) {
    Frame f = received.take(x -> true, timeout);
    if (f == null) {
      throw new AssertionError("no frame arrived within " + timeout);
    }
    return f;
  }

  /**
   * The first CALL of {@code action} a charge point sent and no earlier wait returned, waiting at
   * most {@link #WAIT}; other frames stay for later waits.
   */
  public Frame awaitCall(String action) {
    return awaitCall(action, WAIT);
  }

  /** Like {@link #awaitCall(String)}, waiting at most {@code timeout}. */
  public Frame awaitCall(String action, Duration timeout) {
    Frame f = received.take(x -> x.isCall(action), timeout);
    if (f == null) {
      throw new AssertionError(
          "no " + action + " CALL arrived within " + timeout + "; not yet taken: " + received.pending());
    }
    return f;
  }

  /** Fails if a frame that no wait took is waiting, or arrives within {@code quiet}. */
  public void assertNoMoreFrames(Duration quiet) {
    Frame f = received.take(x -> true, quiet);
    if (f != null) {
      throw new AssertionError("unexpected frame: " + f.text());
    }
  }

  /** Fails if a frame that no wait took is waiting. */
  public void assertNoMoreFrames() {
    assertNoMoreFrames(Duration.ZERO);
  }

  /** Every frame both ways, in order, as the CSMS saw them. */
  public List<Frame> transcript() {
    synchronized (transcript) {
      return new ArrayList<>(transcript);
    }
  }

  // ---- connections

  /** Waits for the next charge point to connect. */
  public ChargePoint awaitConnection() {
    try {
      ChargePoint cp = connected.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (cp == null) {
        throw new AssertionError("no charge point connected within " + WAIT);
      }
      return cp;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Every connection seen so far, open or closed, in order. */
  public List<ChargePoint> chargePoints() {
    return List.copyOf(chargePoints);
  }

  /** The most recent connection. */
  public ChargePoint lastChargePoint() {
    if (chargePoints.isEmpty()) {
      throw new AssertionError("no charge point has connected");
    }
    return chargePoints.get(chargePoints.size() - 1);
  }

  /** The open connection of {@code identity}. */
  public ChargePoint chargePoint(String identity) {
    ChargePoint last = latest.get(identity);
    if (last != null && last.isOpen()) {
      return last;
    }
    for (int i = chargePoints.size() - 1; i >= 0; i--) {
      ChargePoint cp = chargePoints.get(i);
      if (cp.identity().equals(identity) && cp.isOpen()) {
        return cp;
      }
    }
    throw new AssertionError(identity + " is not connected");
  }

  /** Sends a CALL to the open connection of {@code identity}; see {@link ChargePoint#call}. */
  public CompletableFuture<Frame> call(String identity, String action, Object params) {
    return chargePoint(identity).call(action, params);
  }

  /** Stops the server and every connection. */
  @Override
  public void close() {
    if (terminator != null) {
      terminator.close();
    }
    try {
      server.stop(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delayer.shutdownNow();
  }

  // ---- called by the server

  void connected(ChargePoint cp) {
    chargePoints.add(cp);
    latest.put(cp.identity(), cp);
    connected.add(cp);
    onConnect.accept(cp);
  }

  void received(ChargePoint cp, String text) {
    JsonNode array;
    try {
      array = JSON.readTree(text);
    } catch (RuntimeException e) {
      array = null;
    }
    Frame f = new Frame(Frame.Direction.FROM_CHARGE_POINT, cp, text, array);
    if (recording) {
      transcript.add(f);
      received.add(f);
    }
    if (cp.answers(f) || f.messageType() != 2 || f.action() == null) {
      return;
    }
    String answer = answer(cp, f);
    if (answer == null) {
      return;
    }
    Duration delay = delays.get(f.action());
    if (delay == null || delay.isZero()) {
      cp.send(answer);
    } else {
      delayer.schedule(() -> cp.send(answer), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** The scripted or default answer to {@code call}; a script that throws answers InternalError. */
  private String answer(ChargePoint cp, Frame call) {
    Function<Frame, String> script = scripts.get(call.action());
    if (script == null) {
      return encode(3, call.messageId(), defaults.answer(cp.protocol(), call.action(), call.payload()));
    }
    try {
      return script.apply(call);
    } catch (RuntimeException e) {
      return encodeError(
          call.messageId(),
          "InternalError",
          "test CSMS script for " + call.action() + " failed: " + e,
          null);
    }
  }

  void recordSent(ChargePoint cp, String text) {
    if (!recording) {
      return;
    }
    JsonNode array;
    try {
      array = JSON.readTree(text);
    } catch (RuntimeException e) {
      array = null;
    }
    transcript.add(new Frame(Frame.Direction.TO_CHARGE_POINT, cp, text, array));
  }

  String nextServerId() {
    return "srv-" + serverIds.incrementAndGet();
  }

  // ---- encoding helpers

  static String encode(int type, String id, JsonNode payload) {
    ArrayNode a = NODES.arrayNode();
    a.add(type).add(id).add(payload);
    return JSON.writeValueAsString(a);
  }

  static String encodeCall(String id, String action, Object params) {
    ArrayNode a = NODES.arrayNode();
    a.add(2).add(id).add(action).add(params instanceof JsonNode n ? n : JSON.valueToTree(params));
    return JSON.writeValueAsString(a);
  }

  static String encodeError(String id, String code, String description, JsonNode details) {
    ArrayNode a = NODES.arrayNode();
    a.add(4).add(id).add(code).add(description).add(details == null ? NODES.objectNode() : details);
    return JSON.writeValueAsString(a);
  }

  /** Parses JSON text, for building payloads in tests. */
  public static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  /** Configures and starts a {@link TestCsms}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private List<String> protocols;
    private Set<String> identities;
    private final Map<String, byte[]> passwords = new ConcurrentHashMap<>();
    private SSLContext tls;
    private boolean needClientAuth;
    private boolean recording = true;

    private Builder() {}

    /**
     * Whether to record frames (default true). Without recording, {@link TestCsms#transcript()} stays
     * empty and the frame waits find nothing, but memory stays flat however long the CSMS runs:
     * for simulators, not tests.
     */
    public Builder recordFrames(boolean recording) {
      this.recording = recording;
      return this;
    }

    /** The address to bind (default 127.0.0.1; tests stay on loopback). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port (default 0: an ephemeral one, read back with {@link TestCsms#port()}). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The subprotocols to accept (default ocpp1.6, ocpp2.0.1 and ocpp2.1). */
    public Builder protocols(String... protocols) {
      this.protocols = List.of(protocols);
      return this;
    }

    /** Accepts only these identities; others get HTTP 404 (default: any). */
    public Builder identities(String... identities) {
      this.identities = Set.of(identities);
      return this;
    }

    /** Requires HTTP Basic auth from {@code identity} with {@code password}. */
    public Builder basicAuth(String identity, byte[] password) {
      passwords.put(identity, password.clone());
      return this;
    }

    /** Serves wss://; with {@code needClientAuth}, only to clients with a trusted certificate. */
    public Builder tls(SSLContext context, boolean needClientAuth) {
      this.tls = context;
      this.needClientAuth = needClientAuth;
      return this;
    }

    /** Starts the CSMS and waits until it listens. */
    public TestCsms start() {
      return new TestCsms(this);
    }
  }
}
