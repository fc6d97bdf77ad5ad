package dev.ocppj.testkit;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.SSLParametersWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process CSMS for tests, on Java-WebSocket's server, bound to 127.0.0.1 on an ephemeral
 * port. Like OkHttp's MockWebServer it records every frame, answers calls from a script, sends
 * server-initiated calls and raw (also malformed) frames, and injects faults.
 *
 * <p>Frames the charge points send land in one queue: {@link #takeFrame()} waits for the next,
 * bounded. Answers to this server's own calls are recorded there too.
 */
public final class TestCsms implements AutoCloseable {
  /** How long the blocking assertions wait by default. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Server server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final Map<String, Function<Received, String>> scripts = new ConcurrentHashMap<>();
  private final List<Peer> peers = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Peer> opened = new LinkedBlockingQueue<>();
  private final AtomicInteger serverIds = new AtomicInteger();
  private volatile List<String> supported = List.of("ocpp1.6", "ocpp2.0.1", "ocpp2.1");
  private volatile String forcedProtocol; // null: negotiate; "": select none
  private final AtomicInteger rejectCount = new AtomicInteger();
  private volatile int rejectStatus;
  private final AtomicInteger upgrades = new AtomicInteger();
  private final boolean tls;
  private volatile java.util.function.Consumer<Peer> onConnect = p -> {};
  private final Map<String, byte[]> passwords = new ConcurrentHashMap<>();

  private TestCsms(SSLContext tlsContext, boolean needClientAuth) {
    server = new Server();
    tls = tlsContext != null;
    if (tls) {
      SSLParameters params = tlsContext.getDefaultSSLParameters();
      params.setNeedClientAuth(needClientAuth);
      server.setWebSocketFactory(new SSLParametersWebSocketServerFactory(tlsContext, params));
    }
    server.start();
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  public static TestCsms start() {
    return awaitStarted(new TestCsms(null, false));
  }

  /**
   * Starts a wss:// server with {@code tlsContext}'s certificate; with {@code needClientAuth} the
   * TLS handshake requires a client certificate that the context trusts (security profile 3).
   */
  public static TestCsms startTls(SSLContext tlsContext, boolean needClientAuth) {
    return awaitStarted(new TestCsms(tlsContext, needClientAuth));
  }

  private static TestCsms awaitStarted(TestCsms csms) {
    try {
      if (!csms.server.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("test CSMS did not start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (csms.server.startError.get() != null) {
      throw new IllegalStateException("test CSMS failed to start", csms.server.startError.get());
    }
    return csms;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** The endpoint clients connect to: {@code ws://127.0.0.1:<port>/ocpp}, or wss:// with TLS. */
  public URI endpoint() {
    return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + port() + "/ocpp");
  }

  /** Runs {@code action} for every charge point that connects, on the server's thread. */
  public TestCsms onConnect(java.util.function.Consumer<Peer> action) {
    this.onConnect = action;
    return this;
  }

  /**
   * Requires HTTP Basic auth from {@code identity} with {@code password}; a wrong or missing
   * Authorization header is answered with HTTP 401.
   */
  public TestCsms requireBasicAuth(String identity, byte[] password) {
    passwords.put(identity, password.clone());
    return this;
  }

  // ---- negotiation and upgrade faults

  /** The subprotocols the server accepts, in no particular order; it picks the client's first. */
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

  /** The number of upgrade requests received so far. */
  public int upgradeRequests() {
    return upgrades.get();
  }

  // ---- scripted answers to the charge point's calls

  /** Answers calls of {@code action} with the payload {@code reply} makes from the call's params. */
  public TestCsms answer(String action, Function<JsonNode, Object> reply) {
    scripts.put(action, r -> encode(3, r.messageId(), JSON.valueToTree(reply.apply(r.payload()))));
    return this;
  }

  /** Answers calls of {@code action} with a CALLERROR. */
  public TestCsms answerError(String action, String code, String description, JsonNode details) {
    scripts.put(action, r -> encodeError(r.messageId(), code, description, details));
    return this;
  }

  /** Answers calls of {@code action} with the raw text {@code frame} makes (it may be malformed). */
  public TestCsms answerRaw(String action, Function<Received, String> frame) {
    scripts.put(action, frame);
    return this;
  }

  /** Does not answer calls of {@code action}. */
  public TestCsms noAnswer(String action) {
    scripts.put(action, r -> null);
    return this;
  }

  // ---- what the charge points sent

  /** The next frame any charge point sent, waiting at most {@link #WAIT}. */
  public Received takeFrame() {
    return takeFrame(WAIT);
  }

  /** The next frame any charge point sent, waiting at most {@code timeout}. */
  public Received takeFrame(Duration timeout) {
    try {
      Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new AssertionError("no frame arrived within " + timeout);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Takes the next frame and checks that it is a CALL of {@code action}. */
  public Received awaitCall(String action) {
    Received r = takeFrame();
    if (r.messageType() != 2 || !action.equals(r.action())) {
      throw new AssertionError("expected a CALL " + action + " but got " + r.text());
    }
    return r;
  }

  /** Fails if a frame is waiting, or arrives within {@code quiet}. */
  public void assertNoMoreFrames(Duration quiet) {
    try {
      Received r = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (r != null) {
        throw new AssertionError("unexpected frame: " + r.text());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Fails if a frame is already waiting. */
  public void assertNoMoreFrames() {
    Received r = received.poll();
    if (r != null) {
      throw new AssertionError("unexpected frame: " + r.text());
    }
  }

  // ---- connections

  /** Waits for the next charge point to connect and returns its connection. */
  public Peer awaitConnection() {
    try {
      Peer p = opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (p == null) {
        throw new AssertionError("no charge point connected within " + WAIT);
      }
      return p;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Every connection seen so far, open or closed. */
  public List<Peer> peers() {
    return Collections.unmodifiableList(new ArrayList<>(peers));
  }

  /** The most recent connection. */
  public Peer lastPeer() {
    if (peers.isEmpty()) {
      throw new AssertionError("no charge point has connected");
    }
    return peers.get(peers.size() - 1);
  }

  @Override
  public void close() {
    try {
      server.stop(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- encoding helpers

  static String encode(int type, String id, JsonNode payload) {
    ArrayNode a = NODES.arrayNode();
    a.add(type).add(id).add(payload);
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

  /** Default answers: valid results for the common core actions of 1.6 and 2.x, else {}. */
  private String defaultAnswer(Received r) {
    ObjectNode p = NODES.objectNode();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    switch (r.action()) {
      case "BootNotification" -> p.put("status", "Accepted").put("currentTime", now).put("interval", 300);
      case "Heartbeat" -> p.put("currentTime", now);
      case "Authorize" -> {
        if (r.payload().has("idTag")) {
          p.putObject("idTagInfo").put("status", "Accepted");
        } else {
          p.putObject("idTokenInfo").put("status", "Accepted");
        }
      }
      case "StartTransaction" -> {
        p.put("transactionId", 1);
        p.putObject("idTagInfo").put("status", "Accepted");
      }
      default -> {}
    }
    return encode(3, r.messageId(), p);
  }

  /** A frame a charge point sent. */
  public record Received(Peer peer, String text, JsonNode array) {
    /** The message type number, or -1 if the frame is not an array with one. */
    public int messageType() {
      return array != null && array.isArray() && array.path(0).isInt() ? array.get(0).intValue() : -1;
    }

    public String messageId() {
      return array == null ? null : array.path(1).asString(null);
    }

    /** The action of a CALL. */
    public String action() {
      return messageType() == 2 ? array.path(2).asString(null) : null;
    }

    /** The CALL params or CALLRESULT payload, or the CALLERROR details. */
    public JsonNode payload() {
      return switch (messageType()) {
        case 2 -> array.get(3);
        case 3 -> array.get(2);
        case 4 -> array.get(4);
        default -> null;
      };
    }

    /** The error code of a CALLERROR. */
    public String errorCode() {
      return messageType() == 4 ? array.path(2).asString(null) : null;
    }

    /** The description of a CALLERROR. */
    public String errorDescription() {
      return messageType() == 4 ? array.path(3).asString(null) : null;
    }
  }

  /** One charge point's connection to this server. */
  public final class Peer {
    private final WebSocket socket;
    private final String identity;
    private final String protocol;
    private final Map<String, CompletableFuture<Received>> calls = new ConcurrentHashMap<>();
    final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final Map<String, String> headers;
    final AtomicInteger pingsReceived = new AtomicInteger();
    final AtomicInteger pongsReceived = new AtomicInteger();
    volatile boolean silent;

    Peer(WebSocket socket, String identity, String protocol, Map<String, String> headers) {
      this.socket = socket;
      this.identity = identity;
      this.protocol = protocol;
      this.headers = headers;
    }

    /** The identity: the last path segment, percent-decoded. */
    public String identity() {
      return identity;
    }

    /** The request path and query as received. */
    public String resource() {
      return socket.getResourceDescriptor();
    }

    /** The subprotocol the server selected ("" for none). */
    public String protocol() {
      return protocol;
    }

    /** The upgrade request's headers, names in lower case. */
    public Map<String, String> headers() {
      return headers;
    }

    /** Sends a raw text frame. */
    public void sendRaw(String text) {
      socket.send(text);
    }

    /**
     * Sends a CALL and returns the charge point's answer frame (a CALLRESULT or CALLERROR).
     */
    public CompletableFuture<Received> call(String action, Object params) {
      String id = "srv-" + serverIds.incrementAndGet();
      CompletableFuture<Received> f = new CompletableFuture<>();
      calls.put(id, f);
      ArrayNode a = NODES.arrayNode();
      a.add(2).add(id).add(action).add(params instanceof JsonNode n ? n : JSON.valueToTree(params));
      socket.send(JSON.writeValueAsString(a));
      return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Pings the charge point. */
    public void ping() {
      socket.sendPing();
    }

    /** Pings the charge point has sent. */
    public int pingsReceived() {
      return pingsReceived.get();
    }

    /** Pongs the charge point has sent (answers to {@link #ping()}). */
    public int pongsReceived() {
      return pongsReceived.get();
    }

    /** Stops answering the charge point's pings, as a dead link would. */
    public void stopAnsweringPings() {
      silent = true;
    }

    /** Closes with a close frame. */
    public void close(int code, String reason) {
      socket.close(code, reason);
    }

    /** Drops the TCP connection without a close frame. */
    public void drop() {
      socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by test");
    }

    /** Completes when this connection closes, with what the server saw. */
    public CompletableFuture<CloseInfo> closed() {
      return closed;
    }

    boolean completeCall(Received r) {
      CompletableFuture<Received> f = r.messageId() == null ? null : calls.remove(r.messageId());
      if (f != null && (r.messageType() == 3 || r.messageType() == 4)) {
        f.complete(r);
        return true;
      }
      return false;
    }
  }

  /** How a connection closed, as the server saw it. */
  public record CloseInfo(int code, String reason, boolean remote) {}

  /** Offers nothing, accepts any subprotocol, and can answer the upgrade with another status. */
  private static final class ServerDraft extends Draft_6455 {
    @Override
    public List<java.nio.ByteBuffer> createHandshake(Handshakedata data, boolean withContent) {
      if (data instanceof ServerHandshake sh && sh.hasFieldValue("X-Test-Reject")) {
        String status = sh.getFieldValue("X-Test-Reject");
        String response =
            "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        return List.of(ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII)));
      }
      return super.createHandshake(data, withContent);
    }

    @Override
    public Draft copyInstance() {
      return new ServerDraft();
    }
  }

  private final class Server extends WebSocketServer {
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicReference<Exception> startError = new AtomicReference<>();

    Server() {
      super(new InetSocketAddress("127.0.0.1", 0), 1, List.of(new ServerDraft()));
      setReuseAddr(true);
      setDaemon(true);
      setConnectionLostTimeout(0);
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
        WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
      ServerHandshakeBuilder b = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
      upgrades.incrementAndGet();
      if (rejectCount.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        b.put("X-Test-Reject", rejectStatus + " " + reasonPhrase(rejectStatus));
        return b;
      }
      if (!passwords.isEmpty() && !authorized(request)) {
        b.put("X-Test-Reject", "401 Unauthorized");
        return b;
      }
      String selected = forcedProtocol;
      if (selected == null) {
        selected = "";
        String offered = request.getFieldValue("Sec-WebSocket-Protocol");
        for (String p : offered.split(",")) {
          if (supported.contains(p.trim())) {
            selected = p.trim();
            break;
          }
        }
      }
      if (!selected.isEmpty()) {
        b.put("Sec-WebSocket-Protocol", selected);
      }
      conn.setAttachment(selected);
      return b;
    }

    private boolean authorized(ClientHandshake request) {
      String path = request.getResourceDescriptor();
      int q = path.indexOf('?');
      String p = q < 0 ? path : path.substring(0, q);
      String identity = decodeIdentity(p.substring(p.lastIndexOf('/') + 1));
      byte[] expected = passwords.get(identity);
      String header = request.getFieldValue("Authorization");
      if (expected == null || header == null || !header.startsWith("Basic ")) {
        return false;
      }
      byte[] decoded;
      try {
        decoded = java.util.Base64.getDecoder().decode(header.substring(6).trim());
      } catch (IllegalArgumentException e) {
        return false;
      }
      byte[] user = (identity + ":").getBytes(StandardCharsets.UTF_8);
      byte[] want = java.util.Arrays.copyOf(user, user.length + expected.length);
      System.arraycopy(expected, 0, want, user.length, expected.length);
      return java.util.Arrays.equals(decoded, want);
    }

    @Override
    public void onWebsocketPing(WebSocket conn, org.java_websocket.framing.Framedata f) {
      if (conn.getAttachment() instanceof Peer peer) {
        peer.pingsReceived.incrementAndGet();
        if (peer.silent) {
          return; // no pong: a dead link, as the client sees it
        }
      }
      super.onWebsocketPing(conn, f);
    }

    @Override
    public void onWebsocketPong(WebSocket conn, org.java_websocket.framing.Framedata f) {
      if (conn.getAttachment() instanceof Peer peer) {
        peer.pongsReceived.incrementAndGet();
      }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      if (conn.getAttachment() == null) {
        // A refused upgrade: the status line went out; the client closes once it has read it
        // (closing here could drop the answer before it is flushed).
        return;
      }
      String path = handshake.getResourceDescriptor();
      int q = path.indexOf('?');
      String p = q < 0 ? path : path.substring(0, q);
      String identity = decodeIdentity(p.substring(p.lastIndexOf('/') + 1));
      Map<String, String> headers = new ConcurrentHashMap<>();
      handshake.iterateHttpFields()
          .forEachRemaining(
              n -> headers.put(n.toLowerCase(java.util.Locale.ROOT), handshake.getFieldValue(n)));
      Peer peer = new Peer(conn, identity, conn.getAttachment(), headers);
      conn.setAttachment(peer);
      peers.add(peer);
      opened.add(peer);
      onConnect.accept(peer);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      if (conn.getAttachment() instanceof Peer peer) {
        peer.closed.complete(new CloseInfo(code, reason, remote));
      }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      if (!(conn.getAttachment() instanceof Peer peer)) {
        return;
      }
      JsonNode array;
      try {
        array = JSON.readTree(message);
      } catch (RuntimeException e) {
        array = null;
      }
      Received r = new Received(peer, message, array);
      received.add(r);
      if (peer.completeCall(r) || r.messageType() != 2 || r.action() == null) {
        return;
      }
      Function<Received, String> script = scripts.get(r.action());
      String answer = script != null ? script.apply(r) : defaultAnswer(r);
      if (answer != null) {
        conn.send(answer);
      }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      onMessage(conn, StandardCharsets.UTF_8.decode(message).toString());
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
      if (conn == null) {
        startError.compareAndSet(null, ex);
        started.countDown();
      }
    }

    @Override
    public void onStart() {
      started.countDown();
    }
  }

  private static String decodeIdentity(String segment) {
    return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
