package dev.ocppj.testkit;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/** The Java-WebSocket server behind {@link TestCsms}: the upgrade rules and the frame plumbing. */
final class CsmsServer extends WebSocketServer {
  private static final String REJECT = "X-Test-Reject";

  private final TestCsms csms;
  private final String host;
  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicReference<Exception> startError = new AtomicReference<>();

  /**
   * Works around a lost wake-up in Java-WebSocket's server: when a frame is queued while the
   * selector thread finishes writing the previous ones, the selector can reset the connection's
   * interest to read-only after the frame asked for write, and the frame then waits for the next
   * write on that connection (our client's ping, 30 s later; a JDK client's never). Every 50 ms,
   * any connection with queued bytes gets its write interest back.
   */
  void rearmStalledWrites() {
    for (WebSocket ws : getConnections()) {
      if (ws instanceof WebSocketImpl conn && conn.hasBufferedData()) {
        SelectionKey key = conn.getSelectionKey();
        try {
          if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            key.selector().wakeup();
          }
        } catch (CancelledKeyException closing) {
          // the connection is closing; its bytes go nowhere
        }
      }
    }
  }

  CsmsServer(TestCsms csms, InetSocketAddress address) {
    // One decoder thread is plenty for tests, and a thousand charge points.
    super(address, 1, List.of(new ServerDraft()));
    this.csms = csms;
    this.host = address.getHostString();
    setReuseAddr(true);
    setDaemon(true);
    setConnectionLostTimeout(0);
    // An answer and a call written back to back must not wait for a delayed ACK (Nagle: ~40 ms).
    setTcpNoDelay(true);
    // Connects come in bursts in load tests; the JDK's default backlog of 50 drops them.
    setMaxPendingConnections(4096);
  }

  String host() {
    return host;
  }

  void awaitStarted() {
    try {
      if (!started.await(TestCsms.WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("test CSMS did not start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (startError.get() != null) {
      throw new IllegalStateException("test CSMS failed to start", startError.get());
    }
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
      WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
    ServerHandshakeBuilder b = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    csms.upgrades.incrementAndGet();
    if (csms.rejectCount.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      return reject(b, csms.rejectStatus + " " + reasonPhrase(csms.rejectStatus));
    }
    String identity = identity(request.getResourceDescriptor());
    if (csms.identities != null && !csms.identities.contains(identity)) {
      return reject(b, "404 Not Found");
    }
    if (!csms.passwords.isEmpty() && !authorized(identity, request.getFieldValue("Authorization"))) {
      return reject(b, "401 Unauthorized");
    }
    String selected = csms.forcedProtocol;
    if (selected == null) {
      selected = "";
      for (String p : request.getFieldValue("Sec-WebSocket-Protocol").split(",")) {
        if (csms.supported.contains(p.trim())) {
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

  private static ServerHandshakeBuilder reject(ServerHandshakeBuilder b, String status) {
    b.put(REJECT, status);
    return b;
  }

  private boolean authorized(String identity, String header) {
    byte[] expected = csms.passwords.get(identity);
    if (expected == null || header == null || !header.startsWith("Basic ")) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] user = (identity + ":").getBytes(StandardCharsets.UTF_8);
    byte[] want = Arrays.copyOf(user, user.length + expected.length);
    System.arraycopy(expected, 0, want, user.length, expected.length);
    return Arrays.equals(decoded, want);
  }

  static String identity(String resource) {
    int q = resource.indexOf('?');
    String path = q < 0 ? resource : resource.substring(0, q);
    String segment = path.substring(path.lastIndexOf('/') + 1);
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    if (!(conn.getAttachment() instanceof String protocol)) {
      // A refused upgrade: the status line went out; the client closes once it has read it
      // (closing here could drop the answer before it is flushed).
      return;
    }
    Map<String, String> headers = new HashMap<>();
    handshake.iterateHttpFields()
        .forEachRemaining(n -> headers.put(n.toLowerCase(Locale.ROOT), handshake.getFieldValue(n)));
    ChargePoint cp = new ChargePoint(csms, conn, identity(handshake.getResourceDescriptor()), protocol, headers);
    conn.setAttachment(cp);
    csms.connected(cp);
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    if (conn.getAttachment() instanceof ChargePoint cp) {
      cp.onClosed(new CloseInfo(code, reason, remote));
    }
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    if (conn.getAttachment() instanceof ChargePoint cp) {
      csms.received(cp, message);
    }
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    onMessage(conn, StandardCharsets.UTF_8.decode(message).toString());
  }

  @Override
  public void onWebsocketPing(WebSocket conn, Framedata f) {
    if (conn.getAttachment() instanceof ChargePoint cp) {
      cp.pingsReceived.incrementAndGet();
      if (cp.silent) {
        return; // no pong: a dead link, as the charge point sees it
      }
    }
    super.onWebsocketPing(conn, f);
  }

  @Override
  public void onWebsocketPong(WebSocket conn, Framedata f) {
    if (conn.getAttachment() instanceof ChargePoint cp) {
      cp.pongsReceived.incrementAndGet();
    }
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

  /**
   * Offers nothing, accepts any subprotocol (the choice is made above), and can answer the
   * upgrade with another status: Java-WebSocket only writes 101, 404 or 500 itself.
   */
  private static final class ServerDraft extends Draft_6455 {
    @Override
    public List<ByteBuffer> createHandshake(Handshakedata data, boolean withContent) {
      if (data instanceof ServerHandshake sh && sh.hasFieldValue(REJECT)) {
        String response =
            "HTTP/1.1 " + sh.getFieldValue(REJECT) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        return List.of(ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII)));
      }
      return super.createHandshake(data, withContent);
    }

    @Override
    public Draft copyInstance() {
      return new ServerDraft();
    }
  }
}
