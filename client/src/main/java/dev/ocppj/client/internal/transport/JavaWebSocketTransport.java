package dev.ocppj.client.internal.transport;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link WebSocketTransport} on Java-WebSocket (TooTallNate); the only user of that library. */
final class JavaWebSocketTransport implements WebSocketTransport {
  static final JavaWebSocketTransport INSTANCE = new JavaWebSocketTransport();

  private static final Logger log = LoggerFactory.getLogger(JavaWebSocketTransport.class);

  // Java-WebSocket 1.6 allocates a 64 KiB read buffer per connection; 16 KiB holds any common
  // OCPP message in one read and keeps a thousand idle clients at a quarter of the heap.
  private static final int READ_BUFFER_BYTES = 16 * 1024;

  private JavaWebSocketTransport() {}

  @Override
  public Connection connect(ConnectRequest request, Listener listener) {
    JwsConnection c = new JwsConnection(request, listener);
    c.client.connect();
    return c;
  }

  /** A draft that offers our subprotocols, accepts any answer, and reports the status line. */
  private static final class OcppDraft extends Draft_6455 {
    // The library works on a copy of the draft it is given, so copies share the sink.
    private final BiConsumer<Integer, String> statusSink;

    OcppDraft(List<IProtocol> protocols, BiConsumer<Integer, String> statusSink) {
      super(Collections.emptyList(), protocols);
      this.statusSink = statusSink;
    }

    @Override
    public Handshakedata translateHandshake(ByteBuffer buf) throws InvalidHandshakeException {
      // Java-WebSocket turns a non-101 answer into an exception whose text is its only trace of
      // the status; read the status line ourselves before it does.
      ByteBuffer peek = buf.duplicate();
      StringBuilder line = new StringBuilder();
      while (peek.hasRemaining() && line.length() < 256) {
        char ch = (char) (peek.get() & 0xff);
        if (ch == '\r' || ch == '\n') {
          break;
        }
        line.append(ch);
      }
      String[] parts = line.toString().split(" ", 3);
      if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
        try {
          statusSink.accept(Integer.parseInt(parts[1]), line.toString());
        } catch (NumberFormatException ignored) {
          // Not a status line; the library reports the malformed answer itself.
        }
      }
      return super.translateHandshake(buf);
    }

    @Override
    public Draft copyInstance() {
      return new OcppDraft(new ArrayList<>(getKnownProtocols()), statusSink);
    }
  }

  /** One attempt: owns a single-use {@link WebSocketClient} and translates its callbacks. */
  private static final class JwsConnection implements Connection {
    private final Listener listener;
    private final List<String> offered;
    final Client client;
    // Each written on the read thread (or by abort()) before the library reports the close.
    private volatile String rejection;
    private volatile boolean opened;
    private volatile boolean aborted;
    private volatile boolean closeReported;
    private volatile Throwable connectError;
    private volatile int statusCode = -1;
    private volatile String statusLine;

    JwsConnection(ConnectRequest request, Listener listener) {
      this.listener = listener;
      this.offered = List.copyOf(request.subprotocols());
      List<IProtocol> protocols = new ArrayList<>();
      for (String p : offered) {
        protocols.add(new Protocol(p));
      }
      // An empty protocol accepts any answer, so a wrong one reaches our own check with a clear
      // message instead of the library's "draft refuses handshake". It is never offered.
      protocols.add(new Protocol(""));
      OcppDraft draft =
          new OcppDraft(
              protocols,
              (code, line) -> {
                statusCode = code;
                statusLine = line;
              });
      this.client =
          new Client(
              request,
              draft,
              (int) Math.min(Integer.MAX_VALUE, request.connectTimeout().toMillis()));
    }

    @Override
    public boolean send(String text) {
      try {
        client.send(text);
        return true;
      } catch (WebsocketNotConnectedException e) {
        log.debug("dropping a frame: connection is not open");
        return false;
      }
    }

    @Override
    public boolean ping() {
      try {
        client.sendPing();
        return true;
      } catch (WebsocketNotConnectedException e) {
        return false;
      }
    }

    @Override
    public void close(int code, String reason) {
      client.close(code, reason);
    }

    @Override
    public void abort() {
      aborted = true;
      if (opened) {
        client.closeConnection(CloseFrame.ABNORMAL_CLOSE, "connection dropped by the client");
        return;
      }
      // Still connecting: closing the socket makes the blocked connect or read fail at once.
      closeSocketQuietly();
      client.closeConnection(CloseFrame.NEVER_CONNECTED, "connect aborted");
    }

    private void closeSocketQuietly() {
      Socket s = client.getSocket();
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          log.debug("closing the socket failed", e);
        }
      }
    }

    private void handshakeReceived(ServerHandshake response) throws InvalidDataException {
      String selected = response.getFieldValue("Sec-WebSocket-Protocol");
      if (selected == null || selected.isBlank()) {
        rejection = "server selected no subprotocol (offered: " + String.join(", ", offered) + ")";
      } else if (!offered.contains(selected.trim())) {
        rejection =
            "server selected subprotocol '" + selected.trim() + "', which was not offered"
                + " (offered: " + String.join(", ", offered) + ")";
      }
      if (rejection != null) {
        // The library marks the connection as closing but keeps reading a socket the server
        // still holds open; closing it ends the read loop, which then reports the close.
        closeSocketQuietly();
        throw new InvalidDataException(CloseFrame.PROTOCOL_ERROR, rejection);
      }
    }

    private void opened(ServerHandshake handshake) {
      if (aborted) {
        client.closeConnection(CloseFrame.ABNORMAL_CLOSE, "connect aborted");
        return;
      }
      opened = true;
      Map<String, String> headers = new HashMap<>();
      for (Iterator<String> it = handshake.iterateHttpFields(); it.hasNext(); ) {
        String name = it.next();
        headers.put(name.toLowerCase(Locale.ROOT), handshake.getFieldValue(name));
      }
      listener.onOpen(this, handshake.getFieldValue("Sec-WebSocket-Protocol").trim(), headers);
    }

    private void closed(int code, String reason, boolean remote) {
      if (closeReported) {
        return;
      }
      closeReported = true;
      if (opened) {
        listener.onClose(code, reason, remote);
      } else if (rejection != null) {
        listener.onConnectFailed(Failure.SUBPROTOCOL, -1, rejection, null);
      } else if (statusCode >= 0 && statusCode != 101) {
        listener.onConnectFailed(
            Failure.HTTP_STATUS, statusCode, "server answered the upgrade with " + statusLine, null);
      } else if (aborted) {
        listener.onConnectFailed(Failure.ABORTED, -1, "connect aborted", connectError);
      } else if (connectError instanceof SSLException) {
        listener.onConnectFailed(
            Failure.TLS, -1, "TLS handshake failed: " + describe(connectError), connectError);
      } else if (connectError != null) {
        listener.onConnectFailed(Failure.NETWORK, -1, describe(connectError), connectError);
      } else {
        listener.onConnectFailed(
            Failure.NETWORK,
            -1,
            "connection closed during the handshake (code " + code
                + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")",
            null);
      }
    }

    private void failed(Exception ex) {
      if (!opened) {
        connectError = ex; // reported with the close that follows
      } else {
        listener.onError(ex);
      }
    }

    private static String describe(Throwable t) {
      String m = t.getMessage();
      return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** The library's client; every callback goes back to the enclosing connection. */
    private final class Client extends WebSocketClient {
      private final boolean hostnameVerification;

      Client(ConnectRequest request, Draft draft, int connectTimeoutMillis) {
        super(request.url(), draft, new HashMap<>(request.headers()), connectTimeoutMillis);
        this.hostnameVerification = request.hostnameVerification();
        if (request.sslContext() != null && "wss".equalsIgnoreCase(request.url().getScheme())) {
          setSocketFactory(request.sslContext().getSocketFactory());
        }
        // Pings and dead-link detection are ours, on the shared scheduler: without this the
        // library starts a timer thread per connection.
        setConnectionLostTimeout(0);
        setTcpNoDelay(true);
        setReceiveBufferSize(READ_BUFFER_BYTES);
        setDaemon(true);
      }

      @Override
      public void onWebsocketHandshakeReceivedAsClient(
          WebSocket conn, ClientHandshake request, ServerHandshake response)
          throws InvalidDataException {
        handshakeReceived(response);
      }

      @Override
      protected void onSetSSLParameters(SSLParameters parameters) {
        if (hostnameVerification) {
          // The library's default: the certificate must name the host connected to.
          super.onSetSSLParameters(parameters);
        }
      }

      @Override
      public void onWebsocketPing(WebSocket conn, Framedata f) {
        super.onWebsocketPing(conn, f); // answers with a pong
        listener.onPing();
      }

      @Override
      public void onWebsocketPong(WebSocket conn, Framedata f) {
        listener.onPong();
      }

      @Override
      public void onOpen(ServerHandshake handshake) {
        opened(handshake);
      }

      @Override
      public void onMessage(String message) {
        listener.onText(message);
      }

      @Override
      public void onMessage(ByteBuffer bytes) {
        // OCPP-J uses text frames only; a binary frame surfaces as a bad message.
        listener.onText(StandardCharsets.UTF_8.decode(bytes).toString());
      }

      @Override
      public void onClose(int code, String reason, boolean remote) {
        closed(code, reason, remote);
      }

      @Override
      public void onError(Exception ex) {
        failed(ex);
      }
    }
  }
}
