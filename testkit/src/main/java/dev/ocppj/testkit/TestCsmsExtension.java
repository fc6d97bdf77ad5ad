package dev.ocppj.testkit;

import java.net.URI;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a {@link TestCsms} and stops it: per test (a fresh CSMS for
 * each) or per class (one for all tests of the class).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestCsmsExtension csms = TestCsmsExtension.perTest();
 *
 * @Test
 * void boots() {
 *   OcppClient cp = OcppClient.builder(csms.endpoint(), "CP1").protocols(OcppVersion.V1_6).build();
 *   ...
 *   csms.get().awaitCall("BootNotification");
 * }
 * }</pre>
 *
 * <p>With {@code @ExtendWith(TestCsmsExtension.class)} it runs per test and injects a {@link
 * TestCsms} parameter into test methods.
 */
public final class TestCsmsExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private final boolean perClass;
  private final Supplier<TestCsms> factory;
  private volatile TestCsms csms;

  /** For {@code @ExtendWith}: a fresh CSMS per test. */
  public TestCsmsExtension() {
    this(false, TestCsms::start);
  }

  private TestCsmsExtension(boolean perClass, Supplier<TestCsms> factory) {
    this.perClass = perClass;
    this.factory = factory;
  }

  /** A fresh CSMS for every test. */
  public static TestCsmsExtension perTest() {
    return new TestCsmsExtension(false, TestCsms::start);
  }

  /** One CSMS for all tests of the class. */
  public static TestCsmsExtension perClass() {
    return new TestCsmsExtension(true, TestCsms::start);
  }

  /** A fresh CSMS for every test, configured by {@code builder}. */
  public static TestCsmsExtension perTest(Supplier<TestCsms.Builder> builder) {
    return new TestCsmsExtension(false, () -> builder.get().start());
  }

  /** One CSMS for all tests of the class, configured by {@code builder}. */
  public static TestCsmsExtension perClass(Supplier<TestCsms.Builder> builder) {
    return new TestCsmsExtension(true, () -> builder.get().start());
  }

  /** The running CSMS. */
  public TestCsms get() {
    TestCsms c = csms;
    if (c == null) {
      throw new IllegalStateException("the test CSMS runs only while a test does");
    }
    return c;
  }

  /** The running CSMS's endpoint. */
  public URI endpoint() {
    return get().endpoint();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (perClass) {
      csms = factory.get();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (perClass) {
      stop();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      csms = factory.get();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  private void stop() {
    TestCsms c = csms;
    csms = null;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCsms.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get();
  }
}
