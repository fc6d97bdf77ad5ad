package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.internal.runtime.SharedRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Threads a client costs on each transport, and that none outlives close(). */
class OcppClientThreadsTest extends ClientTestBase {

  private static List<String> libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("WebSocketConnectReadThread") || n.startsWith("WebSocketWriteThread") || n.startsWith("ocpp-"))
        .collect(Collectors.toList());
  }

  private static long count(List<String> threads, String prefix) {
    return threads.stream().filter(n -> n.startsWith(prefix)).count();
  }

  /** Connects {@code n} clients over {@code transport}, each having made one call. */
  private List<OcppClient> open(int n, Transport transport) {
    List<OcppClient> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      OcppClient c =
          OcppClient.builder(csms.endpoint(), "CP-" + i).protocols(OcppVersion.V1_6).transport(transport).build();
      list.add(c);
      get(c.connect());
      get(c.call("Heartbeat", Map.of()));
    }
    return list;
  }

  private void closeAndExpectNoThreadsLeft(List<OcppClient> list) {
    for (OcppClient c : list) {
      get(c.closeAsync());
    }
    // Socket threads end at once; the scheduler and the event loops with the last client; idle
    // user threads after their keep-alive.
    await()
        .atMost(Duration.ofSeconds(SharedRuntime.USER_THREAD_KEEP_ALIVE_SECONDS + 20))
        .untilAsserted(() -> assertThat(libraryThreads()).isEmpty());
  }

  @Test
  void onJavaWebSocketAnOpenConnectionCostsTwoThreadsAndNoneOutlivesClose() {
    int clients = 20;
    List<OcppClient> list = open(clients, Transport.JAVA_WEBSOCKET);
    try {
      List<String> open = libraryThreads();
      assertThat(count(open, "WebSocketConnectReadThread")).isEqualTo(clients);
      assertThat(count(open, "WebSocketWriteThread")).isEqualTo(clients);
      assertThat(count(open, "ocpp-scheduler")).isEqualTo(1);
      assertThat(SharedRuntime.schedulerUsers()).isGreaterThanOrEqualTo(clients);
    } finally {
      closeAndExpectNoThreadsLeft(list);
    }
  }

  @Test
  void onNettyAllConnectionsShareAboutOneThreadPerCoreAndNoneOutlivesClose() {
    int clients = 50;
    List<OcppClient> list = open(clients, Transport.NETTY);
    try {
      List<String> open = libraryThreads();
      assertThat(count(open, "WebSocket")).isZero();
      assertThat(count(open, "ocpp-io")).isBetween(1L, (long) Runtime.getRuntime().availableProcessors());
      assertThat(count(open, "ocpp-scheduler")).isEqualTo(1);
    } finally {
      closeAndExpectNoThreadsLeft(list);
    }
  }

  @Test
  void failedConnectsLeaveNoThreadsBehind() {
    csms.rejectUpgrades(10, 503);
    for (Transport t : Transport.values()) {
      for (int i = 0; i < 5; i++) {
        OcppClient c = client(OcppVersion.V1_6, b -> b.transport(t));
        failure(c.connect());
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Set.copyOf(libraryThreads()))
                    .noneMatch(n -> n.startsWith("WebSocket") || n.equals("ocpp-scheduler") || n.startsWith("ocpp-io")));
  }
}
