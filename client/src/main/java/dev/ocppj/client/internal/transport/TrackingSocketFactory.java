package dev.ocppj.client.internal.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Makes sockets with another factory and hands each to a callback before the caller uses it:
 * Java-WebSocket creates its socket on its own thread, and an attempt aborted before that must
 * still be able to close it.
 */
final class TrackingSocketFactory extends SocketFactory {
  /** Receives each new, unconnected socket; may close it. */
  interface Sink {
    void created(Socket s) throws IOException;
  }

  private final SocketFactory base;
  private final Sink sink;

  TrackingSocketFactory(SocketFactory base, Sink sink) {
    this.base = base;
    this.sink = sink;
  }

  @Override
  public Socket createSocket() throws IOException {
    Socket s = base.createSocket();
    sink.created(s);
    return s;
  }

  // Java-WebSocket only asks for unconnected sockets; the connected variants are not tracked.
  @Override
  public Socket createSocket(String host, int port) throws IOException {
    throw new UnsupportedOperationException("connected sockets are not tracked");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    throw new UnsupportedOperationException("connected sockets are not tracked");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    throw new UnsupportedOperationException("connected sockets are not tracked");
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    throw new UnsupportedOperationException("connected sockets are not tracked");
  }
}
