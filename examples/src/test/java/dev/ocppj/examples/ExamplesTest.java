package dev.ocppj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.testkit.TestCsms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's quick start and the demo work as written. */
class ExamplesTest {

  @Test
  void theQuickStartBootsAnswersResetAndCloses() throws Exception {
    try (TestCsms csms = TestCsms.start()) {
      PrintStream original = System.out;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        QuickStart.run(csms.endpoint());
      } finally {
        System.setOut(original);
      }
      csms.awaitCall("BootNotification");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("BootNotification: Accepted");
      assertThat(csms.lastChargePoint().identity()).isEqualTo("CP001");
      assertThat(csms.lastChargePoint().closed().get(10, java.util.concurrent.TimeUnit.SECONDS).code())
          .isEqualTo(1000);
    }
  }

  @Test
  void theTypedExampleBootsOver201InStrictMode() {
    try (TestCsms csms = TestCsms.start()) {
      var boot = TypedQuickStart.run(csms.endpoint());
      assertThat(boot.status()).isEqualTo(dev.ocppj.client.v201.RegistrationStatusEnum.ACCEPTED);
      assertThat(boot.interval()).isEqualTo(300);
      assertThat(csms.awaitCall("BootNotification").payload().toString())
          .isEqualTo(
              "{\"chargingStation\":{\"model\":\"ModelY\",\"vendorName\":\"VendorX\","
                  + "\"firmwareVersion\":\"1.4.2\"},\"reason\":\"PowerUp\"}");
    }
  }

  @Test
  void theDemoPrintsTheExchangeAndSucceeds() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int status;
    try (TestCsms csms = TestCsms.start()) {
      status = Demo.run(csms);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(printed)
        .contains("\"BootNotification\"")
        .contains("\"Heartbeat\"")
        .contains("[2,\"srv-1\",\"Reset\",{\"type\":\"Soft\"}]")
        .contains("[3,\"srv-1\",{\"status\":\"Accepted\"}]")
        .contains("demo ok");
  }

  @ParameterizedTest
  @CsvSource({
    "src/main/java/dev/ocppj/examples/QuickStart.java, README quick start",
    "src/main/java/dev/ocppj/examples/TypedQuickStart.java, README typed example",
    "src/test/java/dev/ocppj/examples/ChargePointReadmeTest.java, README user test",
    "src/test/java/dev/ocppj/examples/VirtualChargePointReadmeTest.java, README virtual charge point",
    "src/test/java/dev/ocppj/examples/MetricsReadmeTest.java, README metrics",
  })
  void theReadmeShowsTheCodeTheBuildCompiles(String source, String marker) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(source));
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// " + marker + " begins")) {
        begin = i + 1;
      } else if (lines.get(i).strip().equals("// " + marker + " ends")) {
        end = i;
      }
    }
    assertThat(begin).as("markers in " + source).isPositive().isLessThan(end);
    List<String> snippet = lines.subList(begin, end);
    int indent = snippet.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    String expected = snippet.stream().map(l -> l.isBlank() ? "" : l.substring(indent))
        .collect(Collectors.joining("\n", "", "\n"));
    assertThat(Files.readString(Path.of("../README.md"))).contains(expected);
  }
}
