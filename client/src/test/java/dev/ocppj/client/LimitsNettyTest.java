package dev.ocppj.client;

/** {@link LimitsTest} on Netty. */
class LimitsNettyTest extends LimitsTest {
  @Override
  Transport transport() {
    return Transport.NETTY;
  }
}
