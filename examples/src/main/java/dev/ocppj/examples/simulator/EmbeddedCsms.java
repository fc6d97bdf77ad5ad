package dev.ocppj.examples.simulator;

import dev.ocppj.examples.simulator.CsmsSession.Arrival;
import dev.ocppj.testkit.ChargePoint;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The test kit's CSMS, run in-process when no {@code --url} is given: it answers every charge
 * point call with a schema-valid default (fresh 1.6 transaction ids), keeps no transcript so that
 * memory stays flat, and lets {@link CsmsScripts} script its calls to each charge point.
 */
final class EmbeddedCsms implements AutoCloseable {
  /** The calls a charge point makes, whose arrival a script may wait for. */
  private static final List<String> CHARGE_POINT_ACTIONS = List.of(
      "BootNotification", "StatusNotification", "Heartbeat", "Authorize", "StartTransaction",
      "StopTransaction", "MeterValues", "TransactionEvent", "DiagnosticsStatusNotification",
      "FirmwareStatusNotification", "LogStatusNotification", "NotifyReport", "ReservationStatusUpdate",
      "SecurityEventNotification", "SignCertificate");

  private record Waiter(String action, Predicate<JsonNode> match, CompletableFuture<Arrival> arrival) {}

  private final TestCsms csms;
  private final AtomicLong transactionIds = new AtomicLong();
  private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
  // How long the CSMS waits for a message that must follow one of its calls: 10 s, plus 1 s per
  // 250 charge points. After the Reset every charge point closes, reconnects and boots at about
  // the same moment, and the embedded CSMS does every upgrade on one decoder thread: at 5,000
  // the reconnect alone took 4.4 s on average here, over 10 s for some. A reboot also takes the
  // station profile's reboot delay.
  private final long expectSeconds;

  EmbeddedCsms(SimulatorOptions options, List<String> identities) {
    expectSeconds = TestCsms.WAIT.toSeconds() + identities.size() / 250 + options.station().rebootDelay().toSeconds();
    TestCsms.Builder b = TestCsms.builder().recordFrames(false).protocols(options.protocol().subprotocol());
    if (options.password() != null) {
      byte[] password = options.password().getBytes(StandardCharsets.UTF_8);
      identities.forEach(id -> b.basicAuth(id, password));
    }
    csms = b.start();
    for (String action : CHARGE_POINT_ACTIONS) {
      csms.answerRaw(action, this::arrived);
    }
  }

  URI endpoint() {
    return csms.endpoint();
  }

  /** The CSMS's side of {@code identity}'s connection, for a dialect's script. */
  CsmsSession session(String identity) {
    return new CsmsSession() {
      @Override
      public CompletableFuture<JsonNode> call(String action, ObjectNode payload) {
        CompletableFuture<Frame> answer;
        try {
          answer = csms.call(identity, action, payload);
        } catch (AssertionError notConnected) {
          return CompletableFuture.failedFuture(
              new Failure("CSMS cannot send " + action + ": " + notConnected.getMessage()));
        }
        return answer.handle((frame, error) -> {
          if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            throw new Failure("CSMS " + action + ": "
                + (cause instanceof TimeoutException ? "no answer within " + TestCsms.WAIT.toSeconds() + " s" : cause.getMessage()));
          }
          if (frame.messageType() == 4) {
            throw new Failure("CSMS " + action + ": answered CALLERROR "
                + frame.errorCode() + " " + frame.errorDescription());
          }
          return frame.payload();
        });
      }

      @Override
      public CompletableFuture<Arrival> expect(String action, Predicate<JsonNode> match) {
        Waiter w = new Waiter(action, match, new CompletableFuture<>());
        List<Waiter> list = waiters.computeIfAbsent(identity, k -> new ArrayList<>());
        synchronized (list) {
          list.add(w);
        }
        return w.arrival()
            .orTimeout(expectSeconds, TimeUnit.SECONDS)
            .handle((arrival, error) -> {
              if (error != null) {
                synchronized (list) {
                  list.remove(w);
                }
                throw new Failure("CSMS check failed: no matching " + action
                    + " came within " + expectSeconds + " s");
              }
              return arrival;
            });
      }
    };
  }

  /**
   * Answers a charge point's call, then wakes a script waiting for it: only once the answer is
   * sent, so that the script's next call cannot overtake it (a RemoteStop must not arrive before
   * the StartTransaction answer that tells the charge point its transaction id).
   */
  private String arrived(Frame call) {
    ChargePoint cp = call.chargePoint();
    String action = call.action();
    ObjectNode answer = TestCsms.defaultAnswer(cp.protocol(), action, call.payload());
    if (action.equals("StartTransaction")) {
      answer.put("transactionId", transactionIds.incrementAndGet());
    }
    cp.sendRaw(Json.MAPPER.writeValueAsString(Json.array().add(3).add(call.messageId()).add(answer)));
    List<Waiter> list = waiters.get(cp.identity());
    if (list != null) {
      Waiter matched = null;
      synchronized (list) {
        for (Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
          Waiter w = it.next();
          if (w.action().equals(action) && w.match().test(call.payload())) {
            it.remove();
            matched = w;
            break;
          }
        }
      }
      if (matched != null) {
        // Off the server's thread, which reads every charge point's frames.
        Arrival arrival = new Arrival(call.payload(), answer);
        matched.arrival().completeAsync(() -> arrival);
      }
    }
    return null; // answered above
  }

  @Override
  public void close() {
    csms.close();
  }
}
