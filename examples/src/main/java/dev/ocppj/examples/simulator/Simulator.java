package dev.ocppj.examples.simulator;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The charge-point simulator: runs one or many OCPP charge points against a CSMS, or against the
 * embedded test CSMS when no {@code --url} is given. {@code --help} lists the options.
 */
public final class Simulator {
  private Simulator() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the simulator and returns its exit status: 0 when every charge point completed (and for
   * {@code --help} and {@code --version}), 1 if not, 2 for a bad command line.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cmd = SimulatorCommand.commandLine();
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    cmd.setOut(outWriter).setErr(errWriter);
    cmd.setExecutionStrategy(parsed -> {
      Integer helpStatus = CommandLine.executeHelpRequest(parsed);
      if (helpStatus != null) {
        return helpStatus;
      }
      // A failed check throws picocli's ParameterException: printed, with the usage, as status 2.
      SimulatorOptions options = cmd.<SimulatorCommand>getCommand().options();
      return simulate(options, out, err);
    });
    try {
      return cmd.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  private static int simulate(SimulatorOptions options, PrintStream out, PrintStream err) {
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
