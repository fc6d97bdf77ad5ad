package dev.ocppj.client.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A WebSocket server on 127.0.0.1 for malformed and hostile traffic: it completes the upgrade
 * (selecting the first offered subprotocol) and then hands the test the raw socket, to write
 * frames byte by byte (any header, any length, fragments, pings) and to read the client's frames
 * or not read at all. Accepts any number of connections, in order.
 */
public final class RawPeer implements AutoCloseable {
  /** Opcodes. */
  public static final int CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;

  private final ServerSocketChannel server;
  private final Thread acceptor;
  private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
  private final List<Conn> all = new ArrayList<>();

  /** A peer whose accepted sockets have the system's default buffer sizes. */
  public RawPeer() throws IOException {
    this(0);
  }

  /**
   * A peer whose sockets receive into a buffer of {@code receiveBufferBytes} (0: the default),
   * so that a peer that stops reading stops the client's writes early.
   */
  public RawPeer(int receiveBufferBytes) throws IOException {
    server = ServerSocketChannel.open();
    if (receiveBufferBytes > 0) {
      server.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes); // inherited by accepted sockets
    }
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    acceptor = new Thread(this::acceptLoop, "raw-peer-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The endpoint to connect to. */
  public URI endpoint() {
    return URI.create("ws://127.0.0.1:" + server.socket().getLocalPort() + "/ocpp");
  }

  /** The next connection whose upgrade completed, waiting at most {@code timeout}. */
  public Conn accept(Duration timeout) throws InterruptedException {
    Conn c = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (c == null) {
      throw new AssertionError("no WebSocket connection within " + timeout);
    }
    return c;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel s = server.accept();
        Conn c = new Conn(s.socket());
        synchronized (all) {
          all.add(c);
        }
        c.upgrade();
        accepted.add(c);
      } catch (IOException e) {
        // closed by the test, or a client that went away during its upgrade
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (all) {
      for (Conn c : all) {
        c.close();
      }
    }
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A frame the client sent, unmasked. */
  public record Frame(int opcode, boolean fin, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame, or -1. */
    public int closeCode() {
      return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }

    /** The reason of a close frame. */
    public String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  /** One upgraded connection. Writes are synchronized; reads are for one thread at a time. */
  public static final class Conn implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private volatile String request;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      socket.setTcpNoDelay(true); // no Nagle wait for the ACK of a write before the next
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    private void upgrade() throws IOException {
      socket.setSoTimeout(10_000);
      String req = readHeaders(in);
      request = req;
      String key = requestHeader(req, "sec-websocket-key");
      String offered = requestHeader(req, "sec-websocket-protocol");
      String protocol = offered == null ? null : offered.split(",")[0].trim();
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
      write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: " + accept + "\r\n"
                  + (protocol == null ? "" : "Sec-WebSocket-Protocol: " + protocol + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(0);
    }

    /** The upgrade request as received. */
    public String request() {
      return request;
    }

    /** The socket, for tests that need its options. */
    public Socket socket() {
      return socket;
    }

    /** Sends one unmasked text frame. */
    public void sendText(String text) throws IOException {
      sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends unmasked text frames in one write (so usually in one TCP segment). */
    public void sendTexts(String... texts) throws IOException {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (String t : texts) {
        byte[] payload = t.getBytes(StandardCharsets.UTF_8);
        all.writeBytes(header(TEXT, true, payload.length));
        all.writeBytes(payload);
      }
      write(all.toByteArray());
    }

    /** Sends one unmasked frame, in one write. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
      byte[] header = header(opcode, fin, payload.length);
      byte[] frame = java.util.Arrays.copyOf(header, header.length + payload.length);
      System.arraycopy(payload, 0, frame, header.length, payload.length);
      write(frame);
    }

    /** Sends only a frame header announcing {@code length} payload bytes. */
    public void sendHeader(int opcode, boolean fin, long length) throws IOException {
      write(header(opcode, fin, length));
    }

    /** Writes raw bytes. */
    public void write(byte[] bytes) throws IOException {
      synchronized (this) {
        out.write(bytes);
        out.flush();
      }
    }

    /** The header of an unmasked frame. */
    public static byte[] header(int opcode, boolean fin, long length) {
      ByteArrayOutputStream h = new ByteArrayOutputStream(10);
      h.write((fin ? 0x80 : 0) | opcode);
      if (length <= 125) {
        h.write((int) length);
      } else if (length <= 0xffff) {
        h.write(126);
        h.write((int) (length >>> 8) & 0xff);
        h.write((int) length & 0xff);
      } else {
        h.write(127);
        for (int shift = 56; shift >= 0; shift -= 8) {
          h.write((int) (length >>> shift) & 0xff);
        }
      }
      return h.toByteArray();
    }

    /**
     * Reads the client's next frame, waiting at most {@code timeout}; null if the connection
     * ended first.
     */
    public Frame readFrame(Duration timeout) throws IOException {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      try {
        int b0 = in.read();
        if (b0 < 0) {
          return null;
        }
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = ((long) readByte() << 8) | readByte();
        } else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) {
            len = (len << 8) | readByte();
          }
        }
        byte[] mask = new byte[4];
        if ((b1 & 0x80) != 0) {
          in.readNBytes(mask, 0, 4);
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length < len) {
          return null;
        }
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no frame from the client within " + timeout);
      } catch (EOFException e) {
        return null;
      }
    }

    /** Reads frames until a text frame, answering nothing; null if the connection ended. */
    public Frame readText(Duration timeout) throws IOException {
      Frame f;
      do {
        f = readFrame(timeout);
      } while (f != null && f.opcode() != TEXT);
      return f;
    }

    /** Reads frames until a close frame; null if the connection ended without one. */
    public Frame readClose(Duration timeout) throws IOException {
      Frame f;
      do {
        f = readFrame(timeout);
      } while (f != null && f.opcode() != CLOSE);
      return f;
    }

    private int readByte() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      return b;
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        return sb.toString();
      }
    }
    throw new EOFException("connection ended during the upgrade request");
  }

  private static String requestHeader(String request, String name) {
    for (String line : request.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
