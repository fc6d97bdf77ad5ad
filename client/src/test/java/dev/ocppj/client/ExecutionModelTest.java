package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.testkit.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Where user code runs relative to library code: no continuation, handler or executor of the
 * user's can stall a client, or another client in the same JVM.
 */
class ExecutionModelTest extends ClientTestBase {

  @Test
  void aContinuationMayWaitForASecondCallOfItsClient() {
    csms.answer("StatusNotification", req -> Map.of("second", true));
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callTimeout(Duration.ofSeconds(3)));

    CompletableFuture<JsonNode> chained =
        c.call("Heartbeat", Map.of())
            .thenApply(
                first ->
                    c.call(
                            "StatusNotification",
                            Map.of("connectorId", 1, "errorCode", "NoError", "status", "Available"))
                        .join());

    assertThat(get(chained).path("second").asBoolean()).isTrue();
    // The client still answers the CSMS.
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    Frame reset = get(peer.call("Reset", Map.of("type", "Soft")));
    assertThat(reset.payload().path("status").asString()).isEqualTo("Accepted");
    assertNoPendingCalls(c);
  }

  @Test
  void aContinuationThatBlocksHoldsLaterCallsOnlyUntilTheirHandlerTimeout() throws Exception {
    OcppClient c = connected(OcppVersion.V1_6, b -> b.handlerTimeout(Duration.ofMillis(500)));
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    CompletableFuture<Object> stuck =
        c.call("Heartbeat", Map.of())
            .thenApply(
                r -> {
                  blocking.countDown();
                  try {
                    return release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      // Arrived after the answer whose continuation blocks: held, then answered at its timeout.
      Frame first = get(peer.call("Reset", Map.of("type", "Soft")));
      assertThat(first.errorCode()).isEqualTo("InternalError");
      // The hold is gone: the next CALL is handled at once, while the continuation still blocks.
      Frame second = get(peer.call("Reset", Map.of("type", "Soft")));
      assertThat(second.payload().path("status").asString()).isEqualTo("Accepted");
      assertThat(stuck).isNotDone();
    } finally {
      release.countDown();
    }
    assertThat(get(stuck)).isEqualTo(true);
  }

  @Test
  void fourHundredHandlersThatEachWaitForACallOfTheirOwnAreAllAnswered() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle(
        "TriggerMessage",
        call -> {
          c.call("StatusNotification", Map.of("connectorId", 1, "errorCode", "NoError", "status", "Available"))
              .join();
          return Map.of("status", "Accepted");
        });

    List<CompletableFuture<Frame>> answers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      answers.add(peer.call("TriggerMessage", Map.of("requestedMessage", "StatusNotification")));
    }
    for (CompletableFuture<Frame> a : answers) {
      assertThat(get(a).payload().path("status").asString()).isEqualTo("Accepted");
    }
  }

  @Test
  void handlersBlockedOnTheirOwnWorkDoNotStallAnotherClient() throws Exception {
    OcppClient busy = connected(OcppVersion.V1_6);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    busy.handle(
        "TriggerMessage",
        call -> {
          started.incrementAndGet();
          release.await(30, TimeUnit.SECONDS);
          return Map.of("status", "Accepted");
        });
    List<CompletableFuture<Frame>> answers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      answers.add(peer.call("TriggerMessage", Map.of("requestedMessage", "Heartbeat")));
    }
    await().atMost(WAIT).until(() -> started.get() > 0);

    OcppClient other =
        OcppClient.builder(csms.endpoint(), "CP2").protocols(OcppVersion.V1_6).build();
    try {
      get(other.connect());
      assertThat(get(other.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
    } finally {
      release.countDown();
      other.close(CloseOptions.defaults().withForce(true));
    }
    for (CompletableFuture<Frame> a : answers) {
      assertThat(get(a).payload().path("status").asString()).isEqualTo("Accepted");
    }
  }

  @Test
  void anExecutorThatRejectsFailsTheClientVisibly() {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callbackExecutor(executor));
    executor.shutdownNow();

    // The call's completion is the first task the executor refuses: it still completes (on the
    // library's own executor), and the client reports the refusal and closes.
    CompletableFuture<JsonNode> call = c.call("Heartbeat", Map.of());
    call.handle((v, e) -> null).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(events.await("error")).contains(RejectedExecutionException.class.getSimpleName());
    assertThat(events.await("close")).contains("callbackExecutor rejected a task");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
    assertThat(failure(c.call("Heartbeat", Map.of()))).isInstanceOf(ClientClosedException.class);
  }
}
