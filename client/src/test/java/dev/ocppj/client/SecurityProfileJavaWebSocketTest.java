package dev.ocppj.client;

/** {@link SecurityProfileTest} on Java-WebSocket. */
class SecurityProfileJavaWebSocketTest extends SecurityProfileTest {
  @Override
  Transport transport() {
    return Transport.JAVA_WEBSOCKET;
  }
}
