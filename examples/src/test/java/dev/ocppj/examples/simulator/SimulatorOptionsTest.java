package dev.ocppj.examples.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.examples.simulator.SimulatorOptions.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.ParameterException;

class SimulatorOptionsTest {

  @Test
  void defaultsRunOneFullOcpp16ChargePointAgainstTheEmbeddedCsms() {
    SimulatorOptions o = SimulatorOptions.parse();
    assertThat(o.url()).isNull();
    assertThat(o.identity()).isEqualTo("CP001");
    assertThat(o.protocol()).isEqualTo(OcppVersion.V1_6);
    assertThat(o.count()).isEqualTo(1);
    assertThat(o.connectors()).isEqualTo(2);
    assertThat(o.scenario()).isEqualTo(Scenario.FULL);
    assertThat(o.strict()).isTrue();
    assertThat(o.callTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void readsEveryOptionInBothSpellings() {
    SimulatorOptions o = SimulatorOptions.parse(
        "--url", "wss://csms.example:8443/ocpp", "--identity=SIM", "--protocol", "ocpp2.1",
        "--password=s3cret", "--count", "250", "--connectors=4", "--scenario", "boot",
        "--meter-values", "0", "--no-strict", "--verbose", "--stay", "--ramp=10", "--call-timeout", "1500ms");
    assertThat(o.url()).isEqualTo(URI.create("wss://csms.example:8443/ocpp"));
    assertThat(o.identity()).isEqualTo("SIM");
    assertThat(o.protocol()).isEqualTo(OcppVersion.V2_1);
    assertThat(o.password()).isEqualTo("s3cret");
    assertThat(o.count()).isEqualTo(250);
    assertThat(o.connectors()).isEqualTo(4);
    assertThat(o.scenario()).isEqualTo(Scenario.BOOT);
    assertThat(o.meterValues()).isZero();
    assertThat(o.strict()).isFalse();
    assertThat(o.verbose()).isTrue();
    assertThat(o.stay()).isTrue();
    assertThat(o.ramp()).isEqualTo(10);
    assertThat(o.callTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void stepsAndStationProfilesInJsonAndYaml() {
    SimulatorOptions o = SimulatorOptions.parse("--steps", "plug:2,token:2=04A1B2C3D4E5F6,meter:2*5,wait=2s,unplug:2",
        "--station", "stations/ac-2x22kw.json");
    assertThat(o.scenario()).isEqualTo(Scenario.CUSTOM);
    assertThat(o.steps()).containsExactly(
        new Step("plug", 2, null, 1), new Step("token", 2, "04A1B2C3D4E5F6", 1), new Step("meter", 2, null, 5),
        new Step("wait", 1, "2s", 1), new Step("unplug", 2, null, 1));
    assertThat(o.station().model()).isEqualTo("AC-2x22");
    assertThat(o.connectors()).isEqualTo(2);
    SimulatorOptions yaml = SimulatorOptions.parse("--station", "stations/home-7kw.yaml", "--url", "ws://127.0.0.1:1/x");
    assertThat(yaml.station().evses()).containsExactly(new dev.ocppj.chargepoint.StationProfile.Evse(1, 7400, 1));
    assertThat(yaml.station().rebootDelay()).isEqualTo(Duration.ofSeconds(5));
    // Against a URL the full preset has no csms step: only the embedded CSMS runs one.
    assertThat(yaml.steps()).extracting(Step::name)
        .containsExactly("token", "plug", "meter", "token", "unplug", "heartbeat");
    assertThat(SimulatorOptions.parse().steps()).extracting(Step::name).endsWith("heartbeat", "csms");
  }

  @Test
  void helpAndVersionAreNotErrors() {
    assertThat(SimulatorOptions.parse("--help")).isNull();
    assertThat(SimulatorOptions.parse("-h")).isNull();
    assertThat(SimulatorOptions.parse("--version")).isNull();
  }

  @Test
  void metricsOutNeedsAnExistingDirectory(@TempDir Path dir) {
    assertThat(SimulatorOptions.parse("--metrics-out", dir.resolve("run.json").toString()).metricsOut())
        .isEqualTo(dir.resolve("run.json"));
    assertThat(SimulatorOptions.parse().metricsOut()).isNull();
    assertThatThrownBy(() -> SimulatorOptions.parse("--metrics-out", dir.resolve("no/run.prom").toString()))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--metrics-out " + dir.resolve("no/run.prom") + ": no such directory " + dir.resolve("no"));
    assertThatThrownBy(() -> SimulatorOptions.parse("--metrics-out", dir.toString()))
        .hasMessage("--metrics-out " + dir + ": is a directory");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--colour blue                      | Unknown options: '--colour', 'blue'",
    "--count                            | Missing required parameter for option '--count' (N)",
    "--count 0                          | --count must be between 1 and 100000, got 0",
    "--count many                       | --count must be a whole number, got many",
    "--protocol ocpp2.0                 | --protocol must be ocpp1.6, ocpp2.0.1 or ocpp2.1, got ocpp2.0",
    "--scenario idle                    | --scenario must be boot or full, got idle",
    "--url http://csms/ocpp             | --url must be ws://host[:port]/path or wss://..., got http://csms/ocpp",
    "--call-timeout 30                  | --call-timeout must be a duration like 500ms, 30s or 2m, got 30",
    "--call-timeout 0s                  | --call-timeout must be positive, got 0s",
    "--identity CP:1                    | --identity must be non-empty without ':' or '/', got \"CP:1\"",
    "--stay                             | --stay needs --url: the embedded CSMS stops when the run ends",
    "stray                              | Unmatched argument at index 0: 'stray'",
    "--steps plug,dance                 | --steps: unknown step \"dance\"; steps are [token, plug, unplug, meter, suspend, resume, fault, clear, offline, online, heartbeat, wait, csms]",
    "--steps wait                       | --steps: wait needs a duration, e.g. wait=5s",
    "--steps wait=soon                  | --steps wait must be a duration like 500ms, 30s or 2m, got soon",
    "--steps plug:0                     | --steps: plug:0: the location must be 1..100",
    "--url ws://h/x --steps csms        | --steps: csms needs the embedded CSMS (no --url)",
    "--station nosuch.json              | --station nosuch.json: no such file",
    "--station pom.xml                  | --station pom.xml: not valid JSON/YAML: Unexpected character ('<' (code 60)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
  })
  void badCommandLinesFailWithAMessageThatNamesTheOption(String args, String message) {
    assertThatThrownBy(() -> SimulatorOptions.parse(args.trim().split("\\s+")))
        .isInstanceOf(ParameterException.class)
        .hasMessage(message);
  }

  @Test
  void identitiesMustFitOcppsLimitWithTheirNumber() {
    String prefix = "X".repeat(43);
    assertThat(SimulatorOptions.parse("--identity", prefix, "--count", "9999").count()).isEqualTo(9999);
    assertThatThrownBy(() -> SimulatorOptions.parse("--identity", prefix, "--count", "10000"))
        .hasMessageContaining("longer than OCPP's 48 characters");
  }

  @Test
  void aBadCommandLineExitsWith2AndPrintsTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulator.run(
        new String[] {"--count", "-1"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("simulator: --count must be between 1 and 100000, got -1")
        .contains("usage: simulator [options]")
        .contains("--call-timeout=DURATION");
  }

  @Test
  void aTypoSuggestsTheOptionAndExitsWith2() {
    for (String typo : new String[] {"--cuont", "--cuont=3", "--coutn"}) {
      Run run = run(typo, "3");
      assertThat(run.status()).as(typo).isEqualTo(2);
      assertThat(run.err()).as(typo)
          .startsWith("simulator: Unknown option")
          .contains("Possible solutions: --count")
          .doesNotContain("usage:"); // the suggestion, not the whole text
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void helpPrintsTheGeneratedUsageAndExitsWith0() {
    Run run = run("--help");
    assertThat(run.status()).isZero();
    assertThat(run.out())
        .startsWith("usage: simulator [options]")
        .contains("--steps=token,plug,...", "--metrics-out=FILE", "-V, --version", "Exit status:")
        .contains("      --count=N            charge points to run in this JVM (default 1)");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void versionPrintsTheProjectVersionAndExitsWith0() {
    Run run = run("--version");
    assertThat(run.status()).isZero();
    // The version Maven filtered into simulator-version.properties (tests run from target/classes).
    String version = System.getProperty("project.version"); // set by the examples pom's surefire
    assertThat(version).isNotBlank();
    assertThat(run.out()).startsWith("simulator " + version + System.lineSeparator())
        .contains("Java " + System.getProperty("java.version"));
    assertThat(run.out()).doesNotContain("${");
    assertThat(run("-V").out()).isEqualTo(run.out());
  }

  record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulator.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
