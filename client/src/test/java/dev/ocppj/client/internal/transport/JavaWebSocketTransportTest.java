package dev.ocppj.client.internal.transport;

/** The shared transport suite on Java-WebSocket. */
class JavaWebSocketTransportTest extends WebSocketTransportTest {
  @Override
  WebSocketTransport transport() {
    return WebSocketTransport.javaWebSocket();
  }
}
