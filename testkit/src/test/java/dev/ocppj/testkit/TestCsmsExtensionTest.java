package dev.ocppj.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestCsmsExtensionTest {

  @Test
  void aPerTestCsmsRunsOnlyDuringTheTest() throws Exception {
    TestCsmsExtension ext = TestCsmsExtension.perTest();
    assertThatThrownBy(ext::get).isInstanceOf(IllegalStateException.class);
    ext.beforeEach(null);
    TestCsms csms = ext.get();
    try (Socket s = new Socket("127.0.0.1", csms.port())) {
      assertThat(s.isConnected()).isTrue();
    }
    ext.afterEach(null);
    assertThatThrownBy(ext::get).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new Socket("127.0.0.1", csms.port()).close()).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aPerClassCsmsOutlivesEachTest() {
    TestCsmsExtension ext = TestCsmsExtension.perClass(() -> TestCsms.builder().protocols("ocpp2.0.1"));
    ext.beforeAll(null);
    TestCsms csms = ext.get();
    ext.beforeEach(null);
    ext.afterEach(null);
    assertThat(ext.get()).isSameAs(csms);
    ext.afterAll(null);
    assertThatThrownBy(ext::get).isInstanceOf(IllegalStateException.class);
  }

  @Nested
  @ExtendWith(TestCsmsExtension.class)
  class InjectedAsAParameter {
    @Test
    void getsARunningCsms(TestCsms csms) {
      assertThat(csms.endpoint().toString()).startsWith("ws://127.0.0.1:").endsWith("/ocpp");
    }
  }

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class RegisteredPerClass {
    @RegisterExtension final TestCsmsExtension csms = TestCsmsExtension.perTest();
    private static TestCsms first;

    @Test
    @Order(1)
    void first() {
      first = csms.get();
      assertThat(first.upgradeRequests()).isZero();
    }

    @Test
    @Order(2)
    void secondGetsAFreshOne() {
      assertThat(csms.get()).isNotSameAs(first);
    }
  }
}
