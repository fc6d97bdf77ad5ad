package dev.ocppj.examples.simulator;

import dev.ocppj.client.OcppClient;
import java.io.PrintStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of the simulator: starts the embedded CSMS unless a URL is given, runs every charge
 * point's boot (at most {@code --ramp} at once) and then every scenario together, reports progress, prints the summary
 * and returns the exit status.
 */
final class Simulation {
  private final SimulatorOptions options;
  private final PrintStream out;
  private final Stats stats;
  private final RunMetrics metrics;
  // Progress lines and the heartbeats of --stay; one daemon thread for the whole run.
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulator-timer");
        t.setDaemon(true);
        return t;
      });

  Simulation(SimulatorOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.metrics = new RunMetrics(options.protocol(), options.transport());
    this.stats = new Stats(options.count(), metrics);
  }

  /** Runs the simulation; 0 when every charge point completed its scenario, else 1. */
  int run() throws InterruptedException {
    List<String> identities = identities();
    List<StationRun> chargePoints = new ArrayList<>();
    CallStats callStats = new CallStats(stats);
    EmbeddedCsms csms = null;
    try {
      // Inside the try: a CSMS that cannot start must still stop the timer thread below.
      csms = options.url() == null ? new EmbeddedCsms(options, identities) : null;
      URI endpoint = csms != null ? csms.endpoint() : options.url();
      out.printf("Simulating %d charge point%s over %s, scenario %s, against %s%s%n",
          options.count(), options.count() == 1 ? "" : "s", options.protocol(), scenario(), endpoint,
          csms != null ? " (embedded test CSMS)" : "");
      out.printf("Station: %s %s, %d EVSE%s, features %s%n", options.station().vendor(), options.station().model(),
          options.station().evses().size(), options.station().evses().size() == 1 ? "" : "s",
          options.station().features().stream().map(f -> f.ocppName()).sorted().toList());
      boolean printMessages = options.count() == 1 || options.verbose();
      long heapBefore = JvmFigures.usedHeap();
      long start = System.nanoTime();
      for (int i = 0; i < identities.size(); i++) {
        String id = identities.get(i);
        OcppClient.Builder b = OcppClient.builder(endpoint, id)
            .protocols(options.protocol())
            .strictMode(options.strict())
            .callTimeout(options.callTimeout())
            .transport(options.transport())
            .use(callStats);
        if (options.password() != null) {
          b.password(options.password()).securityProfile(endpoint.getScheme().equalsIgnoreCase("wss") ? 2 : 1);
        }
        if (printMessages) {
          b.listener(new MessagePrinter(id, out, start));
        }
        chargePoints.add(new StationRun(id, i + 1, b, options.station(), stats));
      }
      Progress progress = printMessages ? null : new Progress();
      List<CompletableFuture<Void>> runs = launch(chargePoints, csms);
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
      if (progress != null) {
        progress.stop();
      }
      int failed = options.count() - stats.completedCount();
      Stats.Summary summary = stats.summary();
      JvmFigures jvm = JvmFigures.measure(options.count(), options.transport(), heapBefore);
      stats.printSummary(out, String.format("Summary: %s, scenario %s", options.protocol(), scenario()), summary, jvm);
      String notWritten = writeMetrics(summary, jvm);
      out.println();
      if (notWritten != null) {
        out.println("FAILED: " + notWritten);
      } else if (failed == 0) {
        out.printf("OK: all %d charge point%s completed the scenario%n", options.count(), options.count() == 1 ? "" : "s");
      } else {
        out.printf("FAILED: %d of %d charge points did not complete the scenario (reasons above)%n", failed, options.count());
      }
      if (options.stay()) {
        stay(chargePoints);
      }
      return failed == 0 && notWritten == null ? 0 : 1;
    } finally {
      // After a normal run all are stopped already; after --stay or an error this stops the rest.
      CompletableFuture.allOf(chargePoints.stream().map(cp -> cp.station.stop().handle((v, e) -> null))
              .toArray(CompletableFuture[]::new))
          .completeOnTimeout(null, options.callTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
          .join();
      chargePoints.forEach(cp -> cp.station.client().close(dev.ocppj.client.CloseOptions.defaults().withForce(true)));
      timer.shutdownNow();
      if (csms != null) {
        csms.close();
      }
    }
  }

  /** Writes {@code --metrics-out} if given; null when done, else why not. */
  private String writeMetrics(Stats.Summary summary, JvmFigures jvm) {
    if (options.metricsOut() == null) {
      return null;
    }
    try {
      metrics.write(options.metricsOut(), summary, jvm);
      out.println("Metrics written to " + options.metricsOut());
      return null;
    } catch (IOException e) {
      return "could not write the metrics to " + options.metricsOut() + ": " + e;
    }
  }

  private List<String> identities() {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= options.count(); i++) {
      ids.add(options.count() == 1 ? options.identity() : options.identity() + "-" + i);
    }
    return ids;
  }

  /**
   * Boots every charge point, at most {@code --ramp} at once, then runs every scenario together:
   * all charge points are connected while the sessions run, as in a real fleet.
   */
  private String scenario() {
    return options.scenario().name().toLowerCase(java.util.Locale.ROOT) + " ("
        + String.join(",", options.steps().stream().map(Step::toString).toList()) + ")";
  }

  private List<CompletableFuture<Void>> launch(List<StationRun> chargePoints, EmbeddedCsms csms) {
    List<CompletableFuture<Void>> boots = new ArrayList<>();
    for (int i = 0; i < chargePoints.size(); i++) {
      boots.add(new CompletableFuture<>());
    }
    AtomicInteger next = new AtomicInteger();
    Runnable[] bootNext = new Runnable[1];
    bootNext[0] = () -> {
      int i = next.getAndIncrement();
      if (i < chargePoints.size()) {
        chargePoints.get(i).start().whenCompleteAsync((v, e) -> {
          if (e != null) {
            chargePoints.get(i).fail(Failure.of("start", e).getMessage());
          }
          boots.get(i).complete(null);
          bootNext[0].run();
        }, timer);
      }
    };
    for (int k = 0; k < Math.min(options.ramp(), chargePoints.size()); k++) {
      timer.execute(bootNext[0]);
    }
    CompletableFuture<Void> allBooted = CompletableFuture.allOf(boots.toArray(CompletableFuture[]::new));
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (StationRun cp : chargePoints) {
      runs.add(allBooted.thenCompose(v -> lifecycle(cp, csms)));
    }
    return runs;
  }

  /** After the boot: the steps (the csms step is the embedded CSMS's calls), the work they caused, then close. */
  private CompletableFuture<Void> lifecycle(StationRun cp, EmbeddedCsms csms) {
    if (cp.failure() != null) {
      return cp.station.stop().handle((closed, e) -> null);
    }
    return cp.run(options.steps(), () -> CsmsScripts.exercise(options.protocol(), csms.session(cp.identity)))
        .handle((v, e) -> {
          if (e != null) {
            cp.fail(Failure.of("scenario", e).getMessage());
          }
          return null;
        })
        // Even after a failure: finish what the CSMS asked for (a reboot, say) before closing.
        .thenCompose(v -> cp.station.idle())
        .thenRun(() -> {
          if (cp.failure() == null) {
            stats.completed();
          }
          stats.finished(cp.identity);
        })
        .thenCompose(v -> options.stay()
            ? CompletableFuture.completedFuture(null) // the station heartbeats on its own
            : cp.station.stop().handle((closed, e) -> null));
  }

  /**
   * With --stay: stays connected, heartbeating and answering the CSMS, until this thread is
   * interrupted or the JVM stops (Ctrl-C); either way the charge points close properly.
   */
  private void stay(List<StationRun> chargePoints) {
    out.println("Staying connected and answering the CSMS; Ctrl-C to stop.");
    Thread hook = new Thread(() -> chargePoints.forEach(cp -> cp.station.close()), "simulator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }
  }

  /** The live line: rewritten in place on a terminal, one line a second otherwise. */
  private final class Progress {
    private final boolean console = System.console() != null;
    private final java.util.concurrent.ScheduledFuture<?> task;

    Progress() {
      task = timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
    }

    private void print() {
      if (console) {
        out.print("\r" + stats.progress() + "   ");
        out.flush();
      } else {
        out.println(stats.progress());
      }
    }

    void stop() {
      task.cancel(false);
      print();
      if (console) {
        out.println();
      }
    }
  }
}
