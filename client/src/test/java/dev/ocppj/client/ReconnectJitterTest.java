package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reconnect jitter differs per client and per process, so that a fleet of charge points does
 * not reconnect in lockstep after a CSMS restart.
 */
class ReconnectJitterTest {

  /** The first jitter draws one client makes while it retries a port where nobody listens. */
  static List<Double> draws(String identity) throws Exception {
    List<Double> draws = Collections.synchronizedList(new ArrayList<>());
    OcppClient c =
        OcppClient.builder(URI.create("ws://127.0.0.1:1/ocpp"), identity)
            .protocols(OcppVersion.V1_6)
            .retryInitialConnect(true)
            .reconnectPolicy(
                a -> {
                  draws.add(a.random().nextDouble());
                  return a.number() < 3 ? Duration.ofMillis(1) : null;
                })
            .build();
    CompletableFuture<OpenEvent> connect = c.connect();
    connect.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    return new ArrayList<>(draws);
  }

  /** The probe a child JVM runs: prints its client's draws on one line. */
  public static void main(String[] args) throws Exception {
    System.out.println(draws("CP-probe"));
  }

  @Test
  void twoClientsInOneJvmDrawDifferentJitter() throws Exception {
    List<Double> a = draws("CP-a");
    List<Double> b = draws("CP-b");
    assertThat(a).hasSize(3);
    assertThat(b).hasSize(3);
    assertThat(a).doesNotContainAnyElementsOf(b);
  }

  @Test
  void twoProcessesDrawDifferentJitter() throws Exception {
    String first = runProbe();
    String second = runProbe();
    assertThat(first).startsWith("[").isNotEqualTo(second);
  }

  private static String runProbe() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                "-cp",
                System.getProperty("java.class.path"),
                ReconnectJitterTest.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the probe JVM did not finish");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(p.exitValue()).as(out).isZero();
      String[] lines = out.split("\n");
      return lines[lines.length - 1];
    } finally {
      p.destroyForcibly();
    }
  }
}
