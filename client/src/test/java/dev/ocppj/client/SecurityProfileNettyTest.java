package dev.ocppj.client;

/** {@link SecurityProfileTest} on Netty. */
class SecurityProfileNettyTest extends SecurityProfileTest {
  @Override
  Transport transport() {
    return Transport.NETTY;
  }
}
