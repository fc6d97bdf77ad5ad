package dev.ocppj.client.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  @Test
  void runsTasksOneAtATimeInSubmissionOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
      int[] concurrent = {0};
      int[] maxConcurrent = {0};
      CountDownLatch done = new CountDownLatch(1000);
      for (int i = 0; i < 1000; i++) {
        int n = i;
        serial.execute(
            () -> {
              synchronized (concurrent) {
                maxConcurrent[0] = Math.max(maxConcurrent[0], ++concurrent[0]);
              }
              seen.add(n);
              synchronized (concurrent) {
                concurrent[0]--;
              }
              done.countDown();
            });
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(maxConcurrent[0]).isEqualTo(1);
      for (int i = 0; i < 1000; i++) {
        assertThat(seen.get(i)).isEqualTo(i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aThrowingTaskDoesNotStopTheOthers() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      CountDownLatch after = new CountDownLatch(1);
      serial.execute(() -> { throw new IllegalStateException("listener bug"); });
      serial.execute(after::countDown);
      assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSharedSchedulerStopsWithItsLastUser() {
    int before = SharedRuntime.schedulerUsers();
    var a = SharedRuntime.acquireScheduler();
    var b = SharedRuntime.acquireScheduler();
    assertThat(a).isSameAs(b);
    assertThat(SharedRuntime.schedulerUsers()).isEqualTo(before + 2);
    SharedRuntime.releaseScheduler(a);
    assertThat(a.isShutdown()).isFalse();
    SharedRuntime.releaseScheduler(b);
    if (before == 0) {
      assertThat(a.isShutdown()).isTrue();
    }
  }
}
