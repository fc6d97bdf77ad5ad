package dev.ocppj.examples.simulator;

import dev.ocppj.examples.simulator.SimulatorOptions.UsageException;
import java.io.PrintStream;

/**
 * The charge-point simulator: runs one or many OCPP charge points against a CSMS, or against the
 * embedded test CSMS when no {@code --url} is given. {@code --help} lists the options.
 */
public final class Simulator {
  private Simulator() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the simulator and returns its exit status: 0 when every charge point completed, 1 if not, 2 for bad options. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    SimulatorOptions options;
    try {
      options = SimulatorOptions.parse(args);
    } catch (UsageException e) {
      err.println("simulator: " + e.getMessage());
      err.print(SimulatorOptions.USAGE);
      return 2;
    }
    if (options == null) {
      out.print(SimulatorOptions.USAGE);
      return 0;
    }
    try {
      return new Simulation(options, out).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("simulator: interrupted");
      return 1;
    } catch (RuntimeException e) {
      err.println("simulator: " + e);
      return 1;
    }
  }
}
