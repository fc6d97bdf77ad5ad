package dev.ocppj.client.internal.pending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.rpc.CallTimeoutException;
import dev.ocppj.client.rpc.ClientClosedException;
import dev.ocppj.client.rpc.ConnectionClosedException;
import dev.ocppj.client.testing.ManualTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class PendingCallsTest {
  private final ManualTimers timers = new ManualTimers();
  private final List<String> sent = new ArrayList<>();
  private boolean connectionOpen = true;
  private PendingCalls pending = create(1);

  private PendingCalls create(int concurrency) {
    return new PendingCalls(
        concurrency,
        3,
        timers::schedule,
        Runnable::run,
        call -> {
          if (!connectionOpen) {
            return PendingCalls.Sender.Outcome.NOT_OPEN;
          }
          sent.add(call.messageId());
          return PendingCalls.Sender.Outcome.SENT;
        });
  }

  private static PendingCall call(String id, Duration timeout) {
    return new PendingCall(
        id, "Heartbeat", null, "[2,\"" + id + "\",\"Heartbeat\",{}]", JsonNodeFactory.instance.objectNode(), timeout, timeout);
  }

  private static PendingCall call(String id) {
    return call(id, Duration.ofSeconds(30));
  }

  /** A new call with this id, submitted. */
  private PendingCall submit(String id) {
    PendingCall c = call(id);
    pending.submit(c);
    return c;
  }

  @Test
  void sendsOneCallAtATimeInFifoOrder() {
    pending.opened();
    PendingCall a = submit("a");
    PendingCall b = submit("b");
    PendingCall c = submit("c");
    assertThat(sent).containsExactly("a");
    assertThat(pending.inFlight()).isEqualTo(1);
    assertThat(pending.queued()).isEqualTo(2);

    assertThat(pending.take("a")).isSameAs(a);
    assertThat(sent).containsExactly("a", "b");
    assertThat(pending.take("b")).isSameAs(b);
    assertThat(sent).containsExactly("a", "b", "c");
  }

  @Test
  void allowsConcurrencyCallsInFlight() {
    pending = create(2);
    pending.opened();
    for (String id : List.of("a", "b", "c")) {
      pending.submit(call(id));
    }
    assertThat(sent).containsExactly("a", "b");
    pending.take("b");
    assertThat(sent).containsExactly("a", "b", "c");
  }

  @Test
  void timeoutStartsWhenTheCallIsSentNotWhenQueued() {
    pending.opened();
    PendingCall a = call("a", Duration.ofSeconds(10));
    PendingCall b = call("b", Duration.ofSeconds(10));
    pending.submit(a);
    pending.submit(b);
    timers.advance(Duration.ofSeconds(9));
    pending.take("a"); // b is sent now, at t=9 s
    timers.advance(Duration.ofSeconds(9)); // t=18 s: 19 s after submit, 9 s after send
    assertThat(b).isNotDone();
    timers.advance(Duration.ofSeconds(1));
    assertThat(b)
        .isCompletedExceptionally()
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(CallTimeoutException.class)
        .withMessage("Heartbeat (id b) timed out after PT10S");
  }

  @Test
  void aTimedOutCallFreesItsSlotAndALateAnswerFindsNothing() {
    pending.opened();
    PendingCall a = call("a", Duration.ofSeconds(1));
    pending.submit(a);
    pending.submit(call("b"));
    timers.advance(Duration.ofSeconds(1));
    assertThat(a).isCompletedExceptionally();
    assertThat(sent).containsExactly("a", "b");
    assertThat(pending.take("a")).isNull();
  }

  @Test
  void takeIgnoresUnknownIds() {
    pending.opened();
    pending.submit(call("a"));
    assertThat(pending.take("zzz")).isNull();
    assertThat(pending.inFlight()).isEqualTo(1);
  }

  @Test
  void cancellingACallTakesItOutWhereverItIs() {
    pending.opened();
    PendingCall a = call("a");
    PendingCall b = call("b");
    pending.submit(a);
    pending.submit(b);
    assertThat(b.cancel(false)).isTrue(); // queued
    assertThat(b.cancel(false)).isTrue(); // still cancelled, nothing more happens
    assertThat(a.cancel(false)).isTrue(); // in flight
    assertThat(pending.inFlight()).isZero();
    assertThat(pending.queued()).isZero();
    assertThat(timers.pending()).isZero();
    assertThat(pending.take("a")).isNull();
    assertThat(sent).containsExactly("a");
  }

  @Test
  void aCallWaitsUnsentForAtMostItsQueueTimeoutCountedFromSubmit() {
    connectionOpen = false;
    PendingCall a = call("a", Duration.ofSeconds(5));
    PendingCall b = call("b", Duration.ofSeconds(5));
    pending.submit(a);
    pending.submit(b);
    assertThat(sent).isEmpty();
    timers.advance(Duration.ofSeconds(2));
    connectionOpen = true;
    pending.opened();
    assertThat(sent).containsExactly("a"); // its call timeout runs from now: until t=7 s
    timers.advance(Duration.ofSeconds(3)); // t=5 s: b's deadline in the queue
    assertThat(b)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(CallTimeoutException.class, e -> assertThat(e.wasSent()).isFalse());
    assertThat(a).isNotDone();
    timers.advance(Duration.ofSeconds(2));
    assertThat(a).isCompletedExceptionally();
    assertThat(sent).containsExactly("a"); // b never went out
  }

  @Test
  void aFullQueueRefusesTheNextCallBeforeSubmitReturns() {
    pending.opened();
    submit("a"); // in flight
    submit("b");
    submit("c");
    submit("d"); // three queued: the limit
    PendingCall e = submit("e");
    assertThatThrownBy(e::join)
        .cause()
        .isInstanceOf(dev.ocppj.client.rpc.CallQueueFullException.class)
        .hasMessage("Heartbeat was not sent: 3 calls are already waiting to be sent (maxQueuedCalls 3)");
    assertThat(pending.queued()).isEqualTo(3);
  }

  @Test
  void aTakenCallKeepsItsTimerUntilItIsCompleted() {
    pending.opened();
    PendingCall a = call("a", Duration.ofSeconds(1));
    pending.submit(a);
    PendingCall taken = pending.take("a");
    assertThat(timers.pending()).isEqualTo(1);
    // Its delivery is late: the deadline still ends it.
    timers.advance(Duration.ofSeconds(1));
    assertThat(a).isCompletedExceptionally();
    taken.finish(JsonNodeFactory.instance.objectNode()); // too late, no effect
    assertThat(a).isCompletedExceptionally();
  }

  @Test
  void queuedCallsDoNotWaitForeverWithoutAConnection() {
    connectionOpen = false;
    PendingCall a = call("a", Duration.ofSeconds(5));
    PendingCall b = call("b", Duration.ofSeconds(5));
    pending.submit(a);
    pending.submit(b);
    timers.advance(Duration.ofSeconds(10));
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
  }

  @Test
  void connectionLossFailsSentCallsAndKeepsTheRest() {
    pending = create(2);
    pending.opened();
    PendingCall a = submit("a");
    PendingCall b = submit("b");
    PendingCall c = submit("c");
    connectionOpen = false;
    pending.connectionLost(1006, "");
    assertThatThrownBy(a::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessage("Heartbeat (id a) failed: connection closed with code 1006 before an answer arrived");
    assertThat(b).isCompletedExceptionally();
    assertThat(c).isNotDone();
    connectionOpen = true;
    pending.opened();
    assertThat(sent).containsExactly("a", "b", "c");
  }

  @Test
  void failUnsentKeepsSentCalls() {
    pending.opened();
    PendingCall a = call("a");
    PendingCall b = call("b");
    pending.submit(a);
    pending.submit(b);
    pending.failUnsent(c -> new ClientClosedException(c + " not sent"));
    assertThat(a).isNotDone();
    assertThatThrownBy(b::join).cause().hasMessage("Heartbeat (id b) not sent");
    assertThat(sent).containsExactly("a");
  }

  @Test
  void whenNoneInFlightCompletesOnceSentCallsAreAnswered() {
    assertThat(pending.whenNoneInFlight()).isDone();
    pending.opened();
    pending.submit(call("a"));
    var idle = pending.whenNoneInFlight();
    assertThat(idle).isNotDone();
    pending.take("a");
    assertThat(idle).isDone();
  }

  @Test
  void closeFailsEverythingAndRefusesLaterCalls() {
    pending.opened();
    PendingCall a = call("a");
    PendingCall b = call("b");
    pending.submit(a);
    pending.submit(b);
    pending.close("closed by test", c -> new ClientClosedException(c + ": closed by test"));
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
    assertThat(timers.pending()).isZero();
    PendingCall late = call("late");
    pending.submit(late);
    assertThatThrownBy(late::join)
        .cause()
        .isInstanceOf(ClientClosedException.class)
        .hasMessage("Heartbeat (id late) was not sent: closed by test");
    pending.reopen();
    pending.opened();
    pending.submit(call("again"));
    assertThat(sent).contains("again");
  }

  @Test
  void raisingConcurrencyAdmitsQueuedCallsAtOnce() {
    pending.opened();
    pending.submit(call("a"));
    pending.submit(call("b"));
    pending.submit(call("c"));
    pending.setConcurrency(3);
    assertThat(sent).containsExactly("a", "b", "c");
  }

  @Test
  void aRejectedCallFailsWithItsReasonAndFreesTheSlot() {
    pending =
        new PendingCalls(
            1,
            10,
            timers::schedule,
            Runnable::run,
            call -> {
              if (call.version() == OcppVersion.V2_0_1) {
                call.reject(new IllegalStateException("wrong version"));
                return PendingCalls.Sender.Outcome.REJECTED;
              }
              sent.add(call.messageId());
              return PendingCalls.Sender.Outcome.SENT;
            });
    pending.opened();
    PendingCall wrong =
        new PendingCall(
            "w",
            "BootNotification",
            OcppVersion.V2_0_1,
            "[]",
            JsonNodeFactory.instance.objectNode(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1));
    pending.submit(wrong);
    pending.submit(call("ok"));
    assertThatThrownBy(wrong::join).cause().hasMessage("wrong version");
    assertThat(sent).containsExactly("ok");
    assertThat(timers.pending()).isEqualTo(1);
  }

  @Test
  void answersDoNotCompleteTheFutureTheCallerDoes() {
    pending.opened();
    PendingCall a = call("a");
    pending.submit(a);
    PendingCall taken = pending.take("a");
    assertThat(taken).isSameAs(a).isNotDone();
    assertThat(timers.pending()).isEqualTo(1);
    taken.finish(JsonNodeFactory.instance.objectNode());
    assertThat(a).isCompleted();
    assertThat(timers.pending()).isZero(); // cancelled once done, not before
  }
}
