package dev.ocppj.client.internal.transport;

/**
 * {@link WebSocketTransport} on Netty: every connection in the JVM shares one event-loop group
 * of about one thread per core, so threads do not grow with connections.
 */
final class NettyTransport implements WebSocketTransport {
  static final NettyTransport INSTANCE = new NettyTransport();

  private NettyTransport() {}

  @Override
  public Connection connect(ConnectRequest request, Listener listener) {
    NettyConnection c = new NettyConnection(request, listener);
    c.start();
    return c;
  }
}
