package dev.ocppj.client;

/** {@link HostileFramesTest} on Netty. */
class HostileFramesNettyTest extends HostileFramesTest {
  @Override
  Transport transport() {
    return Transport.NETTY;
  }
}
