package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.testing.TraceLogMain;
import dev.ocppj.testkit.TestCsms;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With every logger at TRACE (a JVM of its own, since logger levels are fixed once created), no
 * library on either transport writes the Basic auth credentials to the log.
 */
class CredentialLoggingTest {
  private static final String PASSWORD = "pw-that-must-not-be-logged-4711";

  @ParameterizedTest
  @EnumSource(Transport.class)
  void noCredentialsInATraceLog(Transport transport) throws Exception {
    try (TestCsms csms =
        TestCsms.builder().basicAuth("CP1", PASSWORD.getBytes(StandardCharsets.UTF_8)).start()) {
      String log = runClient(transport, csms);
      // The CSMS saw the credentials (so there were some to leak), the log never did.
      assertThat(csms.lastChargePoint().headers()).containsKey("authorization");
      assertLogIsClean(transport, log);
    }
  }

  private static String runClient(Transport transport, TestCsms csms) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-cp",
                classpath,
                TraceLogMain.class.getName(),
                transport.name(),
                csms.endpoint().toString(),
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String log = output.get(10, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log).contains("TRACE-LOG-MAIN-DONE");
    return log;
  }

  private static void assertLogIsClean(Transport transport, String log) {
    // The log is really at TRACE: the transport's own trace lines are there.
    assertThat(log).contains(transport == Transport.JAVA_WEBSOCKET ? "WebSocketImpl" : "TRACE");
    String basic =
        Base64.getEncoder().encodeToString(("CP1:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    for (String secret : List.of(basic, PASSWORD)) {
      assertThat(log).as("log mentions the credentials").doesNotContain(secret);
    }
    if (transport == Transport.JAVA_WEBSOCKET) {
      assertThat(log).contains("Authorization: [redacted]");
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "read failed: " + e;
    }
  }
}
