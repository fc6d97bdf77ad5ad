package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.internal.runtime.SharedRuntime;
import dev.ocppj.testkit.ChargePoint;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** Starts a test CSMS per test and closes every client a test built. */
abstract class ClientTestBase {
  static final Duration WAIT = Duration.ofSeconds(10);

  final TestCsms csms = TestCsms.start();
  final EventLog events = new EventLog();
  private final List<OcppClient> clients = new ArrayList<>();

  @AfterEach
  void closeEverything(org.junit.jupiter.api.TestInfo test) {
    if (!clients.isEmpty()) {
      // What the client saw, for a failure report (surefire keeps the output of failed tests).
      System.err.println(test.getDisplayName() + " events: " + events.all());
      for (OcppClient c : clients) {
        System.err.println(c + " pending " + java.util.Arrays.toString(c.pendingCounts()));
      }
    }
    for (OcppClient c : clients) {
      c.close(CloseOptions.defaults().withForce(true));
    }
    csms.close();
  }

  /** A client for CP1 at the test CSMS, with the event log attached, configured by {@code config}. */
  OcppClient client(OcppVersion version, UnaryOperator<OcppClient.Builder> config) {
    OcppClient c =
        config
            .apply(OcppClient.builder(csms.endpoint(), "CP1").protocols(version).listener(events))
            .build();
    clients.add(c);
    return c;
  }

  OcppClient client(OcppVersion version) {
    return client(version, b -> b);
  }

  /** A connected client; the CSMS side's connection is {@link #peer}. */
  OcppClient connected(OcppVersion version, UnaryOperator<OcppClient.Builder> config) {
    OcppClient c = client(version, config);
    get(c.connect());
    peer = csms.awaitConnection();
    return c;
  }

  OcppClient connected(OcppVersion version) {
    return connected(version, b -> b);
  }

  ChargePoint peer;

  static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      dumpLibraryThreads();
      System.err.println("the future: " + f);
      throw new AssertionError("no outcome within " + WAIT, e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** On a timeout, what the library's threads were doing, to tell a hang from a slow machine. */
  static void dumpLibraryThreads() {
    System.err.println("user executor: " + SharedRuntime.userExecutor());
    for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
      String name = t.getKey().getName();
      if (name.startsWith("WebSocket") || name.startsWith("ocpp-")) {
        System.err.println(name + " " + t.getKey().getState());
        for (StackTraceElement frame : t.getValue()) {
          System.err.println("    at " + frame);
        }
      }
    }
  }

  /** The cause a future failed with, waiting at most {@link #WAIT}. */
  static Throwable failure(CompletableFuture<?> f) {
    try {
      Object v = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + v);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.CancellationException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

/** Threads of the transports and the client runtime (not the test CSMS's, not user threads). */
  static int libraryThreadCount() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (t.isAlive()
          && (name.startsWith("WebSocketConnectReadThread")
              || name.startsWith("WebSocketWriteThread")
              || name.startsWith("ocpp-io")
              || name.startsWith("ocpp-scheduler"))) {
        n++;
      }
    }
    return n;
  }

  /** Asserts that the client holds no pending call, in flight or queued. */
  static void assertNoPendingCalls(OcppClient c) {
    assertThat(c.pendingCounts()).containsExactly(0, 0);
  }
}
