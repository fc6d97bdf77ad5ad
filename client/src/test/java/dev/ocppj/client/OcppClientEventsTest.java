package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.testkit.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OcppClientEventsTest extends ClientTestBase {

  @Test
  void connectAndCloseCompleteAfterTheListenersHeardOfThem() {
    // A slow listener: the futures must not complete while it still runs.
    java.util.concurrent.atomic.AtomicReference<CompletableFuture<OpenEvent>> connecting =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<CompletableFuture<CloseEvent>> closing =
        new java.util.concurrent.atomic.AtomicReference<>();
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    OcppClient c = client(OcppVersion.V1_6, b -> b.listener(new ClientListener() {
      @Override
      public void onOpen(OpenEvent event) {
        seen.add("onOpen, connect done: " + waitBriefly(connecting.get()));
      }

      @Override
      public void onClose(CloseEvent event) {
        seen.add("onClose, close done: " + waitBriefly(closing.get()));
      }
    }));
    CompletableFuture<OpenEvent> open = c.connect();
    connecting.set(open);
    get(open.thenRun(() -> seen.add("connected")));
    CompletableFuture<CloseEvent> closed = c.closeAsync();
    closing.set(closed);
    get(closed.thenRun(() -> seen.add("closed")));
    assertThat(seen).containsExactly(
        "onOpen, connect done: false", "connected", "onClose, close done: false", "closed");
  }

  /** Whether {@code f} completes within 200 ms (null counts as not done). */
  private static boolean waitBriefly(CompletableFuture<?> f) {
    if (f == null) {
      return false;
    }
    try {
      f.get(200, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void eventsArriveInOrderOffTheReadThread() {
    OcppClient c = connected(OcppVersion.V1_6);
    c.handle("Reset", call -> Map.of("status", "Accepted"));
    get(c.call("Heartbeat", null));
    Frame hb = csms.awaitCall("Heartbeat");
    Frame reset = get(peer.call("Reset", Map.of()));
    get(c.closeAsync());
    events.await("close");
    List<String> all = events.all();
    String url = csms.endpoint() + "/CP1";
    int connecting = all.indexOf("connecting " + url);
    int open = all.indexOf("open ocpp1.6");
    int sent = all.indexOf("message OUT " + hb.text());
    int answered = indexOfPrefix(all, "message IN [3,\"" + hb.messageId() + "\"");
    int result = all.indexOf("callResult IN Heartbeat " + hb.messageId());
    int call = all.indexOf("call Reset " + reset.messageId());
    int replied = all.indexOf("message OUT " + reset.text());
    int resultOut = all.indexOf("callResult OUT Reset " + reset.messageId());
    int close = indexOfPrefix(all, "close 1000");
    assertThat(List.of(connecting, open, sent, answered, result, call, replied, resultOut, close))
        .as("events in order: %s", all)
        .doesNotContain(-1)
        .isSorted();
    Set<String> threads =
        events.threads().stream().map(Thread::getName).collect(Collectors.toSet());
    assertThat(threads).allMatch(n -> n.startsWith("ocpp-user-"));
  }

  private static int indexOfPrefix(List<String> all, String prefix) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aSentFramesMessageEventAlwaysComesBeforeItsAnswers() {
    // Many calls in flight on a fast loopback: an answer's IN event must never be reported before
    // the OUT event of the CALL it answers (a transcript that shows answers first is useless).
    OcppClient c = connected(OcppVersion.V1_6, b -> b.callConcurrency(50));
    List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(c.call("Heartbeat", Map.of()));
    }
    calls.forEach(ClientTestBase::get);
    await().atMost(Duration.ofSeconds(10)).until(
        () -> events.all().stream().filter(e -> e.startsWith("message IN [3,")).count() == 500);
    Set<String> sent = new java.util.HashSet<>();
    for (String e : events.all()) {
      if (e.startsWith("message OUT [2,")) {
        sent.add(TestCsmsIds.id(e));
      } else if (e.startsWith("message IN [3,")) {
        assertThat(sent).as("the CALL of " + e + " was reported before it").contains(TestCsmsIds.id(e));
      }
    }
  }

  /** The message id of a {@code message IN|OUT [type,"id",...]} event line. */
  private static final class TestCsmsIds {
    static String id(String line) {
      int start = line.indexOf('"') + 1;
      return line.substring(start, line.indexOf('"', start));
    }
  }

  @Test
  void aThrowingListenerDoesNotStopTheOthers() throws Exception {
    CountDownLatch later = new CountDownLatch(1);
    OcppClient c =
        connected(
            OcppVersion.V1_6,
            b ->
                b.listener(
                    new ClientListener() {
                      @Override
                      public void onOpen(OpenEvent event) {
                        throw new IllegalStateException("listener bug");
                      }

                      @Override
                      public void onCallResult(ResultEvent event) {
                        throw new IllegalStateException("listener bug");
                      }
                    }));
    c.addListener(
        new ClientListener() {
          @Override
          public void onCallResult(ResultEvent event) {
            later.countDown();
          }
        });
    events.await("open");
    get(c.call("Heartbeat", null));
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    events.await("callResult IN Heartbeat");
  }

  @Test
  void aRemovedListenerHearsNothingMore() {
    OcppClient c = connected(OcppVersion.V1_6);
    List<String> calls = new ArrayList<>();
    Registration r =
        c.addListener(
            new ClientListener() {
              @Override
              public void onCall(IncomingCall call) {
                calls.add(call.action());
              }
            });
    c.handle(call -> Map.of());
    get(peer.call("A", Map.of()));
    events.await("call A");
    r.remove();
    get(peer.call("B", Map.of()));
    events.await("call B");
    await().atMost(Duration.ofSeconds(5)).until(() -> !calls.isEmpty());
    assertThat(calls).containsExactly("A");
  }

  @Test
  void anUnexpectedCloseWithoutReconnectIsADisconnectFollowedByTheClose() {
    connected(OcppVersion.V1_6, b -> b.reconnect(false));
    peer.close(4003, "restarting");
    events.await("disconnect 4003 restarting");
    events.await("close 4003 restarting");
  }
}
