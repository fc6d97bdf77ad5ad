package dev.ocppj.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server on 127.0.0.1 that completes the upgrade (selecting the first offered
 * subprotocol) and then reads and ignores everything: no answers, no pongs, no close frame. For
 * tests of what the client does when its peer goes silent. Serves one connection.
 */
public final class SilentPeer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread thread;
  private final CountDownLatch upgraded = new CountDownLatch(1);
  private volatile Socket socket;
  private volatile long bytesAfterUpgrade;

  public SilentPeer() throws IOException {
    server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "silent-peer");
    thread.setDaemon(true);
    thread.start();
  }

  /** The endpoint to connect to. */
  public URI endpoint() {
    return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ocpp");
  }

  /** Waits until a client completed the upgrade. */
  public boolean awaitUpgrade(long seconds) throws InterruptedException {
    return upgraded.await(seconds, TimeUnit.SECONDS);
  }

  /** Bytes received after the upgrade (frames the client sent). */
  public long bytesAfterUpgrade() {
    return bytesAfterUpgrade;
  }

  private void serve() {
    try (Socket s = server.accept()) {
      socket = s;
      InputStream in = s.getInputStream();
      String request = readHeaders(in);
      String key = header(request, "sec-websocket-key");
      String offered = header(request, "sec-websocket-protocol");
      String protocol = offered == null ? null : offered.split(",")[0].trim();
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: " + accept + "\r\n"
                  + (protocol == null ? "" : "Sec-WebSocket-Protocol: " + protocol + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      upgraded.countDown();
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) >= 0) {
        bytesAfterUpgrade += n;
      }
    } catch (IOException e) {
      // closed by the test or the client
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return sb.toString();
  }

  private static String header(String request, String name) {
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

  @Override
  public void close() throws IOException {
    server.close();
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
