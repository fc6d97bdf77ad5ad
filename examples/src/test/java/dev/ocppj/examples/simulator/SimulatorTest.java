package dev.ocppj.examples.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The simulator run in-process, against the embedded CSMS and against a test CSMS of the test's. */
class SimulatorTest {
  /** What one run printed and returned. */
  record Run(int status, String out, String err) {}

  static Run simulate(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulator.run(
        args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs the boot scenario against {@code csms} on a thread of its own, completing {@code run},
   * and returns its Heartbeat CALL unanswered: the charge point stays connected while the test
   * calls it, until the test answers that CALL.
   */
  static Frame holdingTheHeartbeat(TestCsms csms, CompletableFuture<Run> run, String... args) throws Exception {
    CompletableFuture<Frame> heartbeat = new CompletableFuture<>();
    csms.answerRaw("Heartbeat", f -> {
      heartbeat.complete(f);
      return null;
    });
    List<String> all = new ArrayList<>(List.of("--url", csms.endpoint().toString(), "--scenario", "boot"));
    all.addAll(List.of(args));
    new Thread(() -> run.complete(simulate(all.toArray(String[]::new))), "simulator-under-test").start();
    return heartbeat.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ocpp1.6", "ocpp2.0.1", "ocpp2.1"})
  void oneChargePointRunsTheFullScenarioAndAnswersTheCsmsInStrictMode(String protocol) {
    Run run = simulate("--protocol", protocol);
    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("over " + protocol + ", scenario full")
        .contains("CP001 -> CSMS  CALL   BootNotification")
        .contains("CP001 <- CSMS  CALL   Reset")
        .contains("charge points 1: completed 1, failed 0")
        .endsWith("OK: all 1 charge point completed the scenario" + System.lineSeparator());
    String transactionStart = protocol.equals("ocpp1.6") ? "StartTransaction" : "TransactionEvent";
    for (String action : List.of("Authorize", transactionStart, "StatusNotification", "Heartbeat")) {
      assertThat(run.out()).containsPattern("CP001 <- CSMS  RESULT " + action + " +\\d+\\.\\d ms");
    }
    for (String action : protocol.equals("ocpp1.6")
        ? List.of("GetConfiguration", "ChangeConfiguration", "TriggerMessage", "RemoteStartTransaction",
            "RemoteStopTransaction", "ChangeAvailability", "UnlockConnector", "Reset")
        : List.of("GetVariables", "SetVariables", "TriggerMessage", "RequestStartTransaction",
            "RequestStopTransaction", "ChangeAvailability", "UnlockConnector", "Reset")) {
      assertThat(run.out()).as(action).containsPattern("CP001 -> CSMS  RESULT " + action + " +\\d+\\.\\d ms");
    }
  }

  @Test
  void everyPrintedAnswerFollowsItsCall() {
    Run run = simulate("--protocol", "ocpp1.6", "--meter-values", "5");
    assertThat(run.status()).as(run.out()).isZero();
    Pattern line = Pattern.compile("CP001 (->|<-) CSMS  (CALL  |RESULT|ERROR ) (\\S+)");
    List<String> open = new ArrayList<>();
    for (String l : run.out().split("\\R")) {
      Matcher m = line.matcher(l);
      if (!m.find()) {
        continue;
      }
      String key = m.group(3);
      if (m.group(2).startsWith("CALL")) {
        open.add((m.group(1).equals("->") ? "cp " : "csms ") + key);
      } else {
        // An answer goes the other way from its call, and names the call's action.
        assertThat(open).as(l).contains((m.group(1).equals("<-") ? "cp " : "csms ") + key);
        open.remove((m.group(1).equals("<-") ? "cp " : "csms ") + key);
      }
    }
    assertThat(open).isEmpty();
  }

  @Test
  void manyChargePointsPrintProgressAndASummaryTable() {
    Run run = simulate("--count", "25", "--protocol", "ocpp2.0.1", "--identity", "SIM");
    assertThat(run.status()).as(run.out()).isZero();
    assertThat(run.out())
        .doesNotContain("-> CSMS  CALL") // no per-message lines for many
        .containsPattern("\\[ *\\d+\\.\\ds\\] connected \\d+/25  completed 25  failed 0  calls \\d+  errors 0")
        .contains("charge points 25: completed 25, failed 0; peak connected 25")
        .containsPattern("direction +action +calls +errors +p50 ms +p95 ms +p99 ms +max ms")
        .containsPattern("CP->CSMS  TransactionEvent +225 +0 ")
        .containsPattern("CP->CSMS  NotifyReport +\\d+ +0 ")
        .containsPattern("CSMS->CP  RequestStartTransaction +25 +0 ")
        .containsPattern("last to finish: SIM-\\d+ after")
        .contains("OK: all 25 charge points completed the scenario");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ocpp1.6", "ocpp2.0.1"})
  void composedStepsDriveAStationFromAProfileFile(String protocol) {
    try (TestCsms csms = TestCsms.start()) {
      Run run = simulate("--url", csms.endpoint().toString(), "--protocol", protocol,
          "--station", "stations/home-7kw.yaml",
          "--steps", "plug,token,suspend,resume,meter*2,offline,online,token,unplug");
      assertThat(run.status()).as(run.out()).isZero();
      assertThat(run.out()).contains("scenario custom (plug,token,suspend,resume,meter*2,offline,online,token,unplug)")
          .contains("Station: HomeCo Wallbox-7, 1 EVSE, features [Core, FirmwareManagement, RemoteTrigger]");
      List<String> calls = new ArrayList<>();
      for (Frame f : csms.transcript()) {
        if (f.direction() == Frame.Direction.FROM_CHARGE_POINT && f.messageType() == 2) {
          JsonNode p = f.payload();
          calls.add(f.action() + switch (f.action()) {
            case "StatusNotification" -> " " + p.path("status").asString(p.path("connectorStatus").asString());
            case "TransactionEvent" -> " " + p.path("eventType").asString() + "/" + p.path("triggerReason").asString();
            case "BootNotification" -> " " + p.path(protocol.equals("ocpp1.6") ? "chargePointModel" : "chargingStation")
                .path(protocol.equals("ocpp1.6") ? "" : "model").asString(p.path("chargePointModel").asString());
            default -> "";
          });
        }
      }
      if (protocol.equals("ocpp1.6")) {
        assertThat(calls).containsSubsequence(
            "BootNotification Wallbox-7", "StatusNotification Preparing", "Authorize", "StartTransaction",
            "StatusNotification Charging", "StatusNotification SuspendedEV", "StatusNotification Charging",
            "MeterValues", "MeterValues", "StopTransaction", "StatusNotification Finishing", "StatusNotification Available");
      } else {
        assertThat(calls).containsSubsequence(
            "BootNotification Wallbox-7", "StatusNotification Occupied", "TransactionEvent Started/CablePluggedIn",
            "Authorize", "TransactionEvent Updated/Authorized", "TransactionEvent Updated/ChargingStateChanged",
            "TransactionEvent Updated/ChargingStateChanged", "TransactionEvent Updated/MeterValuePeriodic",
            "TransactionEvent Updated/MeterValuePeriodic", "TransactionEvent Ended/StopAuthorized", "StatusNotification Available");
      }
      // offline closed the connection and online opened a second one.
      assertThat(csms.chargePoints()).hasSize(2);
    }
  }

  @Test
  void theBootScenarioAgainstAUrlSendsBootStatusPerConnectorAndHeartbeat() {
    try (TestCsms csms = TestCsms.start()) {
      Run run = simulate("--url", csms.endpoint().toString(), "--scenario", "boot", "--connectors", "3");
      assertThat(run.status()).as(run.out()).isZero();
      List<String> calls = new ArrayList<>();
      for (Frame f : csms.transcript()) {
        if (f.direction() == Frame.Direction.FROM_CHARGE_POINT && f.messageType() == 2) {
          calls.add(f.action() + (f.action().equals("StatusNotification") ? " " + f.payload().get("connectorId") : ""));
        }
      }
      // 1.6 4.9: after the boot, connector 0 (the charge point) reports too.
      assertThat(calls).containsExactly(
          "BootNotification", "StatusNotification 0", "StatusNotification 1", "StatusNotification 2", "StatusNotification 3", "Heartbeat");
      assertThat(csms.lastChargePoint().closed().getNow(null)).isNotNull();
    }
  }

  @Test
  void withStayTheChargePointHeartbeatsAtTheBootIntervalUntilInterrupted() throws Exception {
    try (TestCsms csms = TestCsms.start()) {
      csms.answer("BootNotification", req -> Map.of(
          "status", "Accepted", "currentTime", "2026-01-01T00:00:00Z", "interval", 1));
      CompletableFuture<Run> run = new CompletableFuture<>();
      Thread simulator = new Thread(() -> run.complete(
          simulate("--url", csms.endpoint().toString(), "--scenario", "boot", "--stay")));
      simulator.start();
      csms.awaitCall("Heartbeat"); // the scenario's
      csms.awaitCall("Heartbeat"); // a second later, and again
      csms.awaitCall("Heartbeat");
      simulator.interrupt();
      Run done = run.get(10, TimeUnit.SECONDS);
      assertThat(done.status()).as(done.out()).isZero();
      assertThat(done.out()).contains("Staying connected and answering the CSMS; Ctrl-C to stop.");
      assertThat(csms.lastChargePoint().closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    }
  }

  @Test
  void aFailureSaysWhichStepFailedAndWhyAndExitsWith1(@TempDir Path dir) {
    try (TestCsms csms = TestCsms.start()) {
      csms.answer("Authorize", req -> Map.of("idTagInfo", Map.of("status", "Blocked")));
      Path file = dir.resolve("failed.json");
      Run run = simulate("--url", csms.endpoint().toString(), "--count", "3", "--metrics-out", file.toString());
      assertThat(run.status()).as(run.out()).isEqualTo(1);
      JsonNode doc = Json.MAPPER.readTree(file.toFile());
      assertThat(doc.path("chargePoints").path("failed").asInt()).isEqualTo(3);
      assertThat(doc.path("chargePoints").path("completed").asInt()).isZero();
      assertThat(run.out())
          .contains("charge points 3: completed 0, failed 3")
          .contains("1  CP001-1: token 04000000000001 not authorized: Blocked")
          .contains("1  CP001-3: token 04000000000003 not authorized: Blocked")
          .contains("FAILED: 3 of 3 charge points did not complete the scenario");
    }
  }

  @Test
  void strictModeCatchesACsmsAnswerTheSchemaRejects() {
    try (TestCsms csms = TestCsms.start()) {
      csms.answer("Heartbeat", req -> Map.of("currentTime", "yesterday"));
      Run run = simulate("--url", csms.endpoint().toString(), "--scenario", "boot");
      assertThat(run.status()).as(run.out()).isEqualTo(1);
      assertThat(run.out()).containsPattern("CP001: heartbeat: FormatViolation: .*/currentTime");
    }
  }

  @Test
  void withAPasswordTheChargePointsUseBasicAuth() {
    try (TestCsms csms = TestCsms.start()) {
      csms.requireBasicAuth("CP001-1", "right".getBytes(StandardCharsets.UTF_8));
      csms.requireBasicAuth("CP001-2", "right".getBytes(StandardCharsets.UTF_8));
      Run good = simulate("--url", csms.endpoint().toString(), "--scenario", "boot", "--count", "2", "--password", "right");
      assertThat(good.status()).as(good.out()).isZero();
      assertThat(csms.chargePoints().get(0).headers().get("authorization")).startsWith("Basic ");
      Run bad = simulate("--url", csms.endpoint().toString(), "--scenario", "boot", "--count", "2", "--password", "wrong");
      assertThat(bad.status()).isEqualTo(1);
      assertThat(bad.out()).containsPattern("2  CP001-\\d: connect to ws://127.0.0.1:\\d+/ocpp/<id> failed: .*401");
    }
  }

  @Test
  void theChargePointAnswersUnusualCsmsCallsCorrectly() throws Exception {
    try (TestCsms csms = TestCsms.start()) {
      CompletableFuture<Run> run = new CompletableFuture<>();
      Frame held = holdingTheHeartbeat(csms, run, "--connectors", "2");
      var cp = held.chargePoint();
      Map<String, Object> calls = new java.util.LinkedHashMap<>();
      calls.put("GetConfiguration", Map.of());
      calls.put("ChangeConfiguration", Map.of("key", "HeartbeatInterval", "value", "soon"));
      calls.put("TriggerMessage", Map.of("requestedMessage", "StatusNotification", "connectorId", 7));
      calls.put("UnlockConnector", Map.of("connectorId", 9));
      calls.put("RemoteStopTransaction", Map.of("transactionId", 12345));
      calls.put("ChangeAvailability", Map.of("connectorId", 3, "type", "Inoperative"));
      calls.put("RemoteStartTransaction", Map.of("idTag", "X", "connectorId", 5));
      List<String> answers = new ArrayList<>();
      for (var call : calls.entrySet()) {
        JsonNode answer = cp.call(call.getKey(), call.getValue()).get(10, TimeUnit.SECONDS).payload();
        answers.add(call.getKey() + " " + (answer.has("status") ? answer.get("status").asString() : answer.get("configurationKey").size()));
      }
      assertThat(answers).containsExactly(
          "GetConfiguration 43",          // every 1.6 key the station has
          "ChangeConfiguration Rejected", // not a number
          "TriggerMessage Rejected",      // no connector 7
          "UnlockConnector NotSupported", // no connector 9
          "RemoteStopTransaction Rejected", // no such transaction
          "ChangeAvailability Rejected",  // no connector 3
          "RemoteStartTransaction Rejected"); // no connector 5
      Frame vendor = cp.call("DataTransfer", Map.of("vendorId", "acme")).get(10, TimeUnit.SECONDS);
      // Not this station's vendor (1.6 5.6).
      assertThat(vendor.payload().path("status").asString()).isEqualTo("UnknownVendorId");
      Frame invalid = cp.call("Reset", Map.of("type", "Sideways")).get(10, TimeUnit.SECONDS);
      assertThat(invalid.errorCode()).isEqualTo("PropertyConstraintViolation"); // strict mode
      held.chargePoint().sendRaw("[3,\"" + held.messageId() + "\",{\"currentTime\":\"2026-01-01T00:00:00Z\"}]");
      Run done = run.get(30, TimeUnit.SECONDS);
      assertThat(done.status()).as(done.out()).isZero();
    }
  }

  @Test
  void resetRebootsTheChargePointWhichBootsAgain() throws Exception {
    try (TestCsms csms = TestCsms.start()) {
      CompletableFuture<Run> run = new CompletableFuture<>();
      Frame held = holdingTheHeartbeat(csms, run, "--protocol", "ocpp2.0.1");
      csms.awaitCall("BootNotification");
      Frame reset = held.chargePoint().call("Reset", Map.of("type", "Immediate")).get(10, TimeUnit.SECONDS);
      assertThat(reset.payload().get("status").asString()).isEqualTo("Accepted");
      // The held Heartbeat fails as the charge point closes; it then connects and boots again.
      Frame again = csms.awaitCall("BootNotification");
      assertThat(again.payload().get("reason").asString()).isEqualTo("RemoteReset");
      assertThat(again.chargePoint()).isNotSameAs(held.chargePoint());
      Run done = run.get(30, TimeUnit.SECONDS);
      assertThat(done.status()).as(done.out()).isEqualTo(1);
      assertThat(done.out()).containsPattern("CP001: heartbeat: .*1012");
    }
  }

  @Test
  void metricsOutWritesTheRunAsJsonWithTheTablesFigures(@TempDir Path dir) {
    Path file = dir.resolve("run.json");
    Run run = simulate("--count", "3", "--metrics-out", file.toString());
    assertThat(run.status()).as(run.out()).isZero();
    assertThat(run.out()).contains("Metrics written to " + file);
    JsonNode doc = Json.MAPPER.readTree(file.toFile());
    assertThat(doc.path("protocol").asString()).isEqualTo("ocpp1.6");
    assertThat(doc.path("transport").asString()).isEqualTo("netty");
    assertThat(doc.path("chargePoints").path("count").asInt()).isEqualTo(3);
    assertThat(doc.path("chargePoints").path("completed").asInt()).isEqualTo(3);
    assertThat(doc.path("chargePoints").path("peakConnected").asInt()).isEqualTo(3);
    Matcher totals = Pattern.compile("calls (\\d+), errors (\\d+) in").matcher(run.out());
    assertThat(totals.find()).isTrue();
    assertThat(doc.path("calls").asLong()).isEqualTo(Long.parseLong(totals.group(1)));
    assertThat(doc.path("errors").asLong()).isEqualTo(Long.parseLong(totals.group(2))).isZero();
    Matcher threads = Pattern.compile("(\\d+) threads at peak").matcher(run.out());
    assertThat(threads.find()).isTrue();
    assertThat(doc.path("jvm").path("peakThreads").asInt()).isEqualTo(Integer.parseInt(threads.group(1)));
    assertThat(doc.path("jvm").path("heapUsedBytes").asLong()).isPositive();
    // Every row of the table is a row of the file, with the same count, errors and latencies.
    Pattern row = Pattern.compile(
        "^  (CP->CSMS|CSMS->CP) +(\\w+) +(\\d+) +(\\d+) +([\\d.]+) +([\\d.]+) +([\\d.]+) +([\\d.]+)$", Pattern.MULTILINE);
    Matcher m = row.matcher(run.out());
    long sum = 0;
    int rows = 0;
    while (m.find()) {
      rows++;
      String direction = m.group(1);
      String action = m.group(2);
      JsonNode r = null;
      for (JsonNode candidate : doc.path("actions")) {
        if (candidate.path("action").asString().equals(action) && candidate.path("direction").asString().equals(direction)) {
          r = candidate;
        }
      }
      assertThat(r).as(direction + " " + action).isNotNull();
      assertThat(r.path("count").asLong()).as(action).isEqualTo(Long.parseLong(m.group(3)));
      assertThat(r.path("errors").asLong()).as(action).isEqualTo(Long.parseLong(m.group(4)));
      // The table prints 0.1 ms, the file the microsecond; the max is exact in both (the table's
      // from the row, the file's from Micrometer's timer).
      String[] keys = {"p50Ms", "p95Ms", "p99Ms", "maxMs"};
      for (int i = 0; i < keys.length; i++) {
        assertThat(r.path(keys[i]).asDouble()).as(action + " " + keys[i])
            .isCloseTo(Double.parseDouble(m.group(5 + i)), within(0.05 + 0.001));
      }
      assertThat(r.path("p50Ms").asDouble()).isPositive()
          .isLessThanOrEqualTo(r.path("p95Ms").asDouble());
      assertThat(r.path("p99Ms").asDouble()).isLessThanOrEqualTo(r.path("maxMs").asDouble());
      sum += r.path("count").asLong();
    }
    assertThat(rows).isEqualTo(doc.path("actions").size()).isGreaterThan(10);
    assertThat(sum).isEqualTo(doc.path("calls").asLong());
    JsonNode heartbeat = null;
    for (JsonNode r : doc.path("actions")) {
      if (r.path("action").asString().equals("Heartbeat")) {
        heartbeat = r;
      }
    }
    assertThat(heartbeat).isNotNull();
    assertThat(heartbeat.path("direction").asString()).isEqualTo("CP->CSMS");
    assertThat(heartbeat.path("count").asInt()).isEqualTo(3);
  }

  @Test
  void metricsOutWritesPrometheusTextForAnyOtherName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.prom");
    Run run = simulate("--count", "3", "--scenario", "boot", "--transport", "java-websocket",
        "--metrics-out", file.toString());
    assertThat(run.status()).as(run.out()).isZero();
    String text = Files.readString(file);
    String labels = "direction=\"CP->CSMS\",protocol=\"ocpp1.6\",transport=\"java-websocket\"";
    assertThat(text)
        .contains("# TYPE ocpp_simulator_calls_seconds summary")
        .containsPattern("ocpp_simulator_calls_seconds_count\\{action=\"Heartbeat\"," + Pattern.quote(labels) + "} 3(\\.0)?\\n")
        .containsPattern("ocpp_simulator_calls_seconds_count\\{action=\"BootNotification\"," + Pattern.quote(labels) + "} 3(\\.0)?\\n")
        // a StatusNotification for connectors 0, 1 and 2 of each
        .containsPattern("ocpp_simulator_calls_seconds_count\\{action=\"StatusNotification\"," + Pattern.quote(labels) + "} 9(\\.0)?\\n")
        .contains("ocpp_simulator_call_errors_total{action=\"Heartbeat\"," + labels + "} 0.0")
        .containsPattern("ocpp_simulator_call_latency_seconds\\{action=\"Heartbeat\"," + Pattern.quote(labels.replace(",protocol", ",percentile=\"99\",protocol")) + "} \\d")
        .contains("ocpp_simulator_charge_points{protocol=\"ocpp1.6\",state=\"completed\",transport=\"java-websocket\"} 3.0")
        .contains("ocpp_simulator_run_calls{protocol=\"ocpp1.6\",transport=\"java-websocket\"} 15.0")
        .contains("ocpp_simulator_jvm_threads_peak{");
  }
}
