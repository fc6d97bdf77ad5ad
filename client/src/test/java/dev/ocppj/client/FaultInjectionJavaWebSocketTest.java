package dev.ocppj.client;

/** {@link FaultInjectionTest} on JavaWebSocket. */
class FaultInjectionJavaWebSocketTest extends FaultInjectionTest {
  @Override
  Transport transport() {
    return Transport.JAVA_WEBSOCKET;
  }
}
