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

/** Threads a client costs, and that none outlives close(). */
class OcppClientThreadsTest extends ClientTestBase {

  private static Set<String> libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("WebSocketConnectReadThread") || n.startsWith("WebSocketWriteThread") || n.startsWith("ocpp-"))
        .collect(Collectors.toSet());
  }

  @Test
  void anOpenConnectionCostsTwoThreadsAndNoneOutlivesClose() {
    int clients = 20;
    List<OcppClient> list = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      OcppClient c =
          OcppClient.builder(csms.endpoint(), "CP-" + i).protocols(OcppVersion.V1_6).build();
      get(c.connect());
      get(c.call("Heartbeat", Map.of()));
      list.add(c);
    }
    Set<String> open = libraryThreads();
    long readers = open.stream().filter(n -> n.startsWith("WebSocketConnectReadThread")).count();
    long writers = open.stream().filter(n -> n.startsWith("WebSocketWriteThread")).count();
    long schedulers = open.stream().filter(n -> n.equals("ocpp-scheduler")).count();
    assertThat(readers).isEqualTo(clients);
    assertThat(writers).isEqualTo(clients);
    assertThat(schedulers).isEqualTo(1);
    assertThat(SharedRuntime.schedulerUsers()).isGreaterThanOrEqualTo(clients);

    for (OcppClient c : list) {
      get(c.closeAsync());
    }
    // Socket threads end at once; the scheduler with the last client; idle user threads
    // after their keep-alive.
    await()
        .atMost(Duration.ofSeconds(SharedRuntime.USER_THREAD_KEEP_ALIVE_SECONDS + 20))
        .untilAsserted(() -> assertThat(libraryThreads()).isEmpty());
  }

  @Test
  void failedConnectsLeaveNoThreadsBehind() {
    csms.rejectUpgrades(5, 503);
    for (int i = 0; i < 5; i++) {
      OcppClient c = client(OcppVersion.V1_6);
      failure(c.connect());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(libraryThreads())
                    .noneMatch(n -> n.startsWith("WebSocket") || n.equals("ocpp-scheduler")));
  }
}
