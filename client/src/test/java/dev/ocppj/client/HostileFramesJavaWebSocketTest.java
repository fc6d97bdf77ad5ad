package dev.ocppj.client;

/** {@link HostileFramesTest} on JavaWebSocket. */
class HostileFramesJavaWebSocketTest extends HostileFramesTest {
  @Override
  Transport transport() {
    return Transport.JAVA_WEBSOCKET;
  }
}
