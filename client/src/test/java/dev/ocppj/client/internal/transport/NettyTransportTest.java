package dev.ocppj.client.internal.transport;

/** The shared transport suite on Netty. */
class NettyTransportTest extends WebSocketTransportTest {
  @Override
  WebSocketTransport transport() {
    return WebSocketTransport.netty();
  }
}
