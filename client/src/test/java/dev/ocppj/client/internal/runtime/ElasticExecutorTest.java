package dev.ocppj.client.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElasticExecutorTest {
  private static final String PREFIX = "elastic-test-";
  // Short keep-alive so that the tests can watch threads end.
  private final ElasticExecutor pool = new ElasticExecutor(PREFIX, 300, TimeUnit.MILLISECONDS, 2);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedTasks() {
    release.countDown();
  }

  private static List<Thread> poolThreads() {
    List<Thread> list = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(PREFIX)) {
        list.add(t);
      }
    }
    return list;
  }

  private void blockUntilReleased() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void everyTaskFromManyProducersRunsExactlyOnce() throws Exception {
    int producers = 4;
    int perProducer = 50_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(producers * perProducer);
    CountDownLatch done = new CountDownLatch(producers * perProducer);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < perProducer; i++) {
                  int k = base + i;
                  pool.execute(
                      () -> {
                        runs.incrementAndGet(k);
                        done.countDown();
                      });
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < runs.length(); i++) {
      assertThat(runs.get(i)).as("task %d", i).isEqualTo(1);
    }
  }

  @Test
  void tasksQueuedBehindBlockedWorkersStillRun() throws Exception {
    // As many tasks as the pool starts eagerly block (not on a client future: nothing tells the
    // pool); the watchdog sees no progress and adds threads.
    CountDownLatch blocking = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      pool.execute(
          () -> {
            blocking.countDown();
            blockUntilReleased();
          });
    }
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch ran = new CountDownLatch(100);
    for (int i = 0; i < 100; i++) {
      pool.execute(ran::countDown);
    }
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(poolThreads()).anyMatch(t -> t.getName().equals(PREFIX + "watchdog"));
  }

  @Test
  void aWorkerThatBlocksOnAClientFutureIsReplacedAtOnce() throws Exception {
    // Every worker waits on a future that only a later task completes: without compensation
    // the later task could only run after a stall was noticed; with it, it runs and all finish.
    int waiters = 50;
    OcppFuture<String> gate = new OcppFuture<>();
    CountDownLatch finished = new CountDownLatch(waiters);
    for (int i = 0; i < waiters; i++) {
      pool.execute(
          () -> {
            gate.join();
            finished.countDown();
          });
    }
    pool.execute(() -> gate.complete("open"));
    assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aThrowingTaskDoesNotEndTheWorkerAndAnInterruptDoesNotLeakToTheNextTask() throws Exception {
    Set<String> names = ConcurrentHashMap.newKeySet();
    CountDownLatch first = new CountDownLatch(1);
    pool.execute(
        () -> {
          names.add(Thread.currentThread().getName());
          first.countDown();
          Thread.currentThread().interrupt();
          throw new IllegalStateException("user bug");
        });
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicInteger interruptedAtStart = new AtomicInteger(-1);
    CountDownLatch second = new CountDownLatch(1);
    pool.execute(
        () -> {
          interruptedAtStart.set(Thread.currentThread().isInterrupted() ? 1 : 0);
          second.countDown();
        });
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interruptedAtStart.get()).isZero();
    // The worker parks again (an interrupt left set would make it spin).
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> poolThreads().stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING
            || t.getState() == Thread.State.TERMINATED));
  }

  @Test
  void idleThreadsAndTheWatchdogEndAfterTheKeepAlive() throws Exception {
    CountDownLatch blocking = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(
          () -> {
            blocking.countDown();
            blockUntilReleased();
          });
    }
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch ran = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) {
      pool.execute(ran::countDown);
    }
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(poolThreads()).hasSizeGreaterThanOrEqualTo(3);
    release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> poolThreads().isEmpty());
    assertThat(pool.threads()).isZero();
    // And it starts again.
    CountDownLatch again = new CountDownLatch(1);
    pool.execute(again::countDown);
    assertThat(again.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
