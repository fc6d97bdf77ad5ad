package dev.ocppj.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS in front of the test CSMS: the JDK's {@code SSLServerSocket} on the public port, a plain
 * connection to the WebSocket server behind it for each client, and bytes pumped both ways.
 *
 * <p>Why not Java-WebSocket's own TLS: its server-side TLS channel can stall a handshake that
 * asks for a client certificate when the certificate's check finishes with no bytes left to
 * read (TooTallNate/Java-WebSocket#1500), and a non-blocking client meets that timing often.
 * The JDK's blocking TLS has no such race; a thread pair per connection is fine for tests.
 */
final class TlsTerminator implements AutoCloseable {
  private final SSLServerSocket server;
  private final InetSocketAddress backend;
  private final Thread acceptor;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  // The local port of each backend connection, to the subject of the client's certificate.
  private final Map<Integer, String> subjects = new ConcurrentHashMap<>();

  TlsTerminator(SSLContext context, boolean needClientAuth, String host, int port, InetSocketAddress backend)
      throws IOException {
    this.server =
        (SSLServerSocket)
            context.getServerSocketFactory().createServerSocket(port, 4096, InetAddress.getByName(host));
    server.setNeedClientAuth(needClientAuth);
    this.backend = backend;
    this.acceptor = new Thread(this::acceptLoop, "test-csms-tls-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The subject of the certificate the client behind the backend connection from {@code port} showed. */
  String clientCertificateSubject(int backendLocalPort) {
    return subjects.get(backendLocalPort);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) server.accept();
        sockets.add(client);
        Thread t = new Thread(() -> serve(client), "test-csms-tls");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(SSLSocket client) {
    Socket plain = null;
    try {
      client.startHandshake(); // a rejected certificate fails here, and the client sees why
      plain = new Socket();
      plain.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      sockets.add(plain);
      plain.connect(backend, 10_000);
      String subject = subject(client);
      if (subject != null) {
        subjects.put(plain.getLocalPort(), subject);
      }
      Socket backendSide = plain;
      Thread back = new Thread(() -> pump(backendSide, client), "test-csms-tls-out");
      back.setDaemon(true);
      back.start();
      pump(client, plain);
    } catch (IOException e) {
      // handshake refused, or a side went away
    } finally {
      closeQuietly(client);
      if (plain != null) {
        closeQuietly(plain);
      }
    }
  }

  private static String subject(SSLSocket s) {
    try {
      Certificate[] chain = s.getSession().getPeerCertificates();
      return chain.length == 0 ? null : ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Copies {@code from} to {@code to} until either ends, then closes both. */
  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed or dropped
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
