package dev.ocppj.client;

/** {@link FaultInjectionTest} on Netty. */
class FaultInjectionNettyTest extends FaultInjectionTest {
  @Override
  Transport transport() {
    return Transport.NETTY;
  }
}
