package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.internal.lifecycle.Lifecycle;
import dev.ocppj.testkit.ChargePoint;
import dev.ocppj.testkit.TestCsms;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A thousand disconnect/reconnect cycles leave the thread count and the per-connection objects
 * where they started.
 */
class ReconnectLeakTest {
  private static final int CYCLES = 1000;

  private static long libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("WebSocketConnectReadThread") || n.startsWith("WebSocketWriteThread") || n.equals("ocpp-scheduler"))
        .count();
  }

  @Test
  void aThousandReconnectsLeaveNoThreadsOrConnectionsBehind() throws Exception {
    try (TestCsms csms = TestCsms.start()) {
      long before = libraryThreads();
      AtomicInteger opens = new AtomicInteger();
      List<WeakReference<Object>> links = new ArrayList<>();
      OcppClient client =
          OcppClient.builder(csms.endpoint(), "CP-LEAK")
              .protocols(OcppVersion.V1_6)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
              .retryInitialConnect(true)
              .build();
      Field lifecycleField = OcppClient.class.getDeclaredField("lifecycle");
      lifecycleField.setAccessible(true);
      Lifecycle lifecycle = (Lifecycle) lifecycleField.get(client);
      client.addListener(
          new ClientListener() {
            @Override
            public void onOpen(OpenEvent event) {
              opens.incrementAndGet();
              synchronized (links) {
                links.add(new WeakReference<>(lifecycle.openSession()));
              }
            }
          });
      csms.onConnect(ChargePoint::drop);
      long start = System.nanoTime();
      client.connect();
      await().atMost(Duration.ofSeconds(120)).until(() -> opens.get() >= CYCLES);
      long elapsed = System.nanoTime() - start;

      // Still cycling: at most the current connection's two threads and the scheduler.
      long during = libraryThreads();
      client.close(CloseOptions.defaults().withForce(true)).get();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(libraryThreads()).isEqualTo(before));

      // Every link but the last is unreachable: nothing kept per connection.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                System.gc();
                long alive;
                synchronized (links) {
                  alive = links.stream().filter(r -> r.get() != null).count();
                }
                assertThat(alive).isLessThanOrEqualTo(1);
              });
      assertThat(client.pendingCounts()).containsExactly(0, 0);
      System.out.printf(
          "%d reconnect cycles in %d ms; library threads before %d, while cycling %d, after %d%n",
          opens.get(), elapsed / 1_000_000, before, during, libraryThreads());
      assertThat(during).isLessThanOrEqualTo(before + 3);
    }
  }
}
