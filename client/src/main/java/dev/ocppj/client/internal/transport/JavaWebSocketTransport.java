package dev.ocppj.client.internal.transport;

import dev.ocppj.client.rpc.BadMessageException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WebSocketTransport} on Java-WebSocket (TooTallNate); the only user of that library. It
 * costs two threads per connection (a blocking read thread and a write thread).
 *
 * <p>Bounds: the draft refuses a message over {@code maxMessageSize} from its header (or from the
 * fragments it has assembled) and closes with 1009 before buffering it; reading pauses by holding
 * the read thread after a message; bytes of frames waiting for the write thread are counted, and
 * past {@code maxOutboundBytes} the connection is dropped.
 */
final class JavaWebSocketTransport implements WebSocketTransport {
  static final JavaWebSocketTransport INSTANCE = new JavaWebSocketTransport();

  private static final Logger log = LoggerFactory.getLogger(JavaWebSocketTransport.class);

  // Java-WebSocket 1.6 allocates a 64 KiB read buffer per connection; 16 KiB holds any common
  // OCPP message in one read and keeps a thousand idle clients at a quarter of the heap.
  private static final int READ_BUFFER_BYTES = 16 * 1024;
  // A client frame's header: 2 to 14 bytes, plus the 4-byte mask.
  private static final int FRAME_OVERHEAD = 10;

  private JavaWebSocketTransport() {}

  @Override
  public Connection connect(ConnectRequest request, Listener listener) {
    JwsConnection c = new JwsConnection(request, listener);
    c.client.connect();
    return c;
  }

  /** One attempt: owns a single-use {@link WebSocketClient} and translates its callbacks. */
  private static final class JwsConnection implements Connection {
    private final Listener listener;
    private final List<String> offered;
    private final long maxOutboundBytes;
    final Client client;
    // Each written on the read thread (or by abort()) before the library reports the close.
    private volatile String rejection;
    private volatile boolean opened;
    private volatile boolean aborted;
    private volatile boolean closeReported;
    private volatile Throwable connectError;
    private volatile int statusCode = -1;
    private volatile String statusLine;
    // Why we dropped the connection ourselves; reported as the close reason.
    private volatile String dropReason;
    // Made by the library's connect thread through our socket factory.
    private volatile Socket socket;

    // Guarded by readGate: reading paused for backpressure; stopped once closing.
    private final Object readGate = new Object();
    private boolean paused;
    private boolean stopped;

    // Guarded by sendLock: the sizes of our frames still in the library's out queue, oldest
    // first, and their sum. The write thread takes frames off that queue; comparing its length
    // with ours tells how many have gone.
    private final Object sendLock = new Object();
    private final ByteSizes waiting = new ByteSizes();
    private boolean overflowed;

    JwsConnection(ConnectRequest request, Listener listener) {
      this.listener = listener;
      this.offered = List.copyOf(request.subprotocols());
      this.maxOutboundBytes = request.maxOutboundBytes();
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
              },
              request.maxMessageSize(),
              why -> listener.onError(new BadMessageException(why + "; closing with 1009", "")));
      this.client =
          new Client(
              request,
              draft,
              (int) Math.min(Integer.MAX_VALUE, request.connectTimeout().toMillis()));
    }

    @Override
    public boolean send(String text) {
      // UTF-16 length: the byte count for the ASCII that OCPP messages almost always are.
      return enqueue(() -> client.send(text), text.length() + FRAME_OVERHEAD);
    }

    @Override
    public boolean ping() {
      return enqueue(client::sendPing, FRAME_OVERHEAD);
    }

    /** Queues a frame through {@code send} and counts its bytes; false if it was not queued. */
    private boolean enqueue(Runnable send, int bytes) {
      String overflow;
      synchronized (sendLock) {
        if (overflowed) {
          return false;
        }
        try {
          send.run();
        } catch (WebsocketNotConnectedException e) {
          log.debug("dropping a frame: connection is not open");
          return false;
        }
        overflow = account(bytes);
      }
      if (overflow != null) {
        // Not drop(): that reports the close on this thread, which may be inside the caller's
        // own bookkeeping. Closing the socket makes the read thread report it instead.
        dropReason = overflow;
        aborted = true;
        stopReadGate();
        closeSocketQuietly();
        return false;
      }
      return true;
    }

    /** Counts a frame just queued; the reason to drop the connection if too much waits. */
    private String account(int bytes) {
      WebSocket engine = client.getConnection();
      int queued = engine instanceof WebSocketImpl impl ? impl.outQueue.size() : 0;
      waiting.add(bytes);
      waiting.trimTo(queued);
      if (waiting.total() > maxOutboundBytes) {
        overflowed = true;
        return "the CSMS did not read " + waiting.total() + " bytes of outgoing frames (maxOutboundBytes "
            + maxOutboundBytes + "); connection dropped";
      }
      return null;
    }

    @Override
    public void pauseReading() {
      synchronized (readGate) {
        paused = true;
      }
    }

    @Override
    public void resumeReading() {
      synchronized (readGate) {
        paused = false;
        readGate.notifyAll();
      }
    }

    /** Holds the read thread while reading is paused. Read thread only. */
    private void awaitReadable() {
      synchronized (readGate) {
        while (paused && !stopped) {
          try {
            readGate.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    private void stopReadGate() {
      synchronized (readGate) {
        stopped = true;
        readGate.notifyAll();
      }
    }

    @Override
    public void close(int code, String reason) {
      // The peer's close frame must be read, paused or not.
      stopReadGate();
      client.close(code, reason);
    }

    @Override
    public void abort() {
      drop(opened ? "connection dropped by the client" : "connect aborted");
    }

    /** Drops the TCP connection and reports {@code reason} as the close (or connect failure). */
    private void drop(String reason) {
      aborted = true;
      if (dropReason == null) {
        dropReason = reason;
      }
      stopReadGate();
      // Closing the socket first unblocks both threads: a connect or read in progress, and a
      // write thread stuck on a peer that no longer reads.
      if (!closeSocketQuietly()) {
        // No socket yet: the connect thread creates it, finds it closed (socketCreated) and
        // reports the failure. Closing the library's connection now instead would leave that
        // thread to connect, upgrade and start a write thread nobody ever stops.
        return;
      }
      client.closeConnection(
          opened ? CloseFrame.ABNORMAL_CLOSE : CloseFrame.NEVER_CONNECTED, dropReason);
    }

    /** The connect thread made the socket: closed at once if the attempt was aborted before. */
    private void socketCreated(Socket s) throws IOException {
      socket = s;
      if (aborted) {
        s.close();
      }
    }

    /** Closes the socket; false if there is none yet. */
    private boolean closeSocketQuietly() {
      Socket s = socket;
      if (s == null) {
        return false;
      }
      try {
        s.close();
      } catch (IOException e) {
        log.debug("closing the socket failed", e);
      }
      return true;
    }

    private void handshakeReceived(ServerHandshake response) throws InvalidDataException {
      String selected = response.getFieldValue("Sec-WebSocket-Protocol");
      rejection = SubprotocolCheck.rejection(selected, offered);
      if (rejection != null) {
        // The library marks the connection as closing but keeps reading a socket the server
        // still holds open; closing it ends the read loop, which then reports the close.
        closeSocketQuietly();
        throw new InvalidDataException(CloseFrame.PROTOCOL_ERROR, rejection);
      }
    }

    private void opened(ServerHandshake handshake) {
      if (aborted) {
        closeSocketQuietly();
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
      stopReadGate();
      String dropped = dropReason;
      if (opened) {
        if (dropped != null) {
          listener.onClose(CloseFrame.ABNORMAL_CLOSE, dropped, false);
        } else {
          listener.onClose(code, reason, remote);
        }
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

    private static SocketFactory sslSocketFactory(SSLContext context) {
      try {
        return (context != null ? context : SSLContext.getDefault()).getSocketFactory();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("no default TLS context", e);
      }
    }

    /** The library's client; every callback goes back to the enclosing connection. */
    private final class Client extends WebSocketClient {
      private final boolean hostnameVerification;

      Client(ConnectRequest request, Draft draft, int connectTimeoutMillis) {
        super(request.url(), draft, new HashMap<>(request.headers()), connectTimeoutMillis);
        this.hostnameVerification = request.hostnameVerification();
        SocketFactory base = SocketFactory.getDefault();
        if ("wss".equalsIgnoreCase(request.url().getScheme())) {
          base = sslSocketFactory(request.sslContext());
        }
        // Our factory, so that abort() can always reach the socket, even one made after it.
        setSocketFactory(new TrackingSocketFactory(base, JwsConnection.this::socketCreated));
        // Pings and dead-link detection are ours, on the shared scheduler: without this the
        // library starts a timer thread per connection.
        setConnectionLostTimeout(0);
        setTcpNoDelay(true);
        setReceiveBufferSize(READ_BUFFER_BYTES);
        setDaemon(true);
        if (request.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
          CredentialRedaction.protect((WebSocketImpl) getConnection());
        }
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
        // The pong counts against maxOutboundBytes like any frame: a peer that pings and never
        // reads must not pile them up.
        if (enqueue(() -> super.onWebsocketPing(conn, f), f.getPayloadData().remaining() + FRAME_OVERHEAD)) {
          listener.onPing();
        }
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
        awaitReadable();
      }

      @Override
      public void onMessage(ByteBuffer bytes) {
        listener.onBinary(bytes.remaining());
        awaitReadable();
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
