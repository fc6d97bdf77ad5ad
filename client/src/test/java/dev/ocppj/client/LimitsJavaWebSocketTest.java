package dev.ocppj.client;

/** {@link LimitsTest} on Java-WebSocket. */
class LimitsJavaWebSocketTest extends LimitsTest {
  @Override
  Transport transport() {
    return Transport.JAVA_WEBSOCKET;
  }
}
