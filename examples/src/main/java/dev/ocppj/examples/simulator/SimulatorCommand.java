package dev.ocppj.examples.simulator;

import dev.ocppj.examples.simulator.SimulatorOptions.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.commons.text.similarity.LevenshteinDistance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The simulator's command line for picocli: the options, their defaults and help text. Values
 * are read as text and checked by {@link SimulatorOptions#of}, so every message names the option
 * and the value the same way ("--count must be between 1 and 100000, got 0").
 */
@Command(
    name = "simulator",
    customSynopsis = "simulator [options]",
    synopsisHeading = "usage: ",
    mixinStandardHelpOptions = true,
    versionProvider = SimulatorCommand.Version.class,
    sortOptions = false,
    usageHelpWidth = 100,
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
      "0:every charge point completed its scenario (also --help, --version)",
      "1:a charge point did not",
      "2:a bad command line"})
final class SimulatorCommand {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", paramLabel = "ws://host:port/path",
      description = {"CSMS endpoint; the identity is appended",
          "(default: start the embedded test CSMS on 127.0.0.1)"})
  String url;

  @Option(names = "--identity", paramLabel = "ID", defaultValue = "CP001",
      description = {"charge point identity (default ${DEFAULT-VALUE}); with --count N the",
          "identities are <identity>-1 .. <identity>-N"})
  String identity;

  @Option(names = "--protocol", paramLabel = "VERSION", defaultValue = "ocpp1.6",
      description = "ocpp1.6 (default), ocpp2.0.1 or ocpp2.1")
  String protocol;

  @Option(names = "--password", paramLabel = "SECRET",
      description = "HTTP Basic auth (security profile 1, or 2 on wss://)")
  String password;

  @Option(names = "--count", paramLabel = "N", defaultValue = "1",
      description = "charge points to run in this JVM (default ${DEFAULT-VALUE})")
  String count;

  @Option(names = "--connectors", paramLabel = "N", defaultValue = "2",
      description = "connectors (EVSEs in 2.x) per charge point (default ${DEFAULT-VALUE})")
  String connectors;

  @Option(names = "--station", paramLabel = "FILE",
      description = {"the station profile (JSON or YAML: vendor, model, EVSEs, features,",
          "reboot time; see the README); replaces --connectors"})
  String station;

  @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "full",
      description = {"boot: boot, status, a heartbeat",
          "full (default): boot, status, then the steps",
          "token,plug,meter*3,token,unplug,heartbeat and, against the",
          "embedded CSMS, csms (its calls, each checked)"})
  String scenario;

  @Option(names = "--steps", paramLabel = "token,plug,...",
      description = {"your own steps after the boot (replaces --scenario), each",
          "name[:location][=value][*repeat], location 1 by default:",
          "  token[=VALUE]    present a token (default: a valid ISO",
          "                   14443 UID per charge point); again: stop",
          "  plug, unplug     a cable in / out (out stops a transaction)",
          "  meter            sample the meter now",
          "  suspend, resume  the EV stops / resumes drawing power",
          "  fault[=CODE]     a fault (default GroundFailure)",
          "  clear            the fault is gone",
          "  offline, online  the network goes away / comes back",
          "  heartbeat        a Heartbeat",
          "  wait=DURATION    let time pass: 500ms, 30s, 2m",
          "  csms             the embedded CSMS's calls, each checked"})
  String steps;

  @Option(names = "--meter-values", paramLabel = "N", defaultValue = "3",
      description = "meter value samples per transaction in full (default ${DEFAULT-VALUE})")
  String meterValues;

  @Option(names = "--no-strict", description = "do not validate messages against the OCA schemas")
  boolean noStrict;

  @Option(names = "--verbose", description = "print every message even for many charge points")
  boolean verbose;

  @Option(names = "--stay", description = "stay connected after the scenario until Ctrl-C")
  boolean stay;

  @Option(names = "--ramp", paramLabel = "N", defaultValue = "100",
      description = "charge points connecting and booting at once (default ${DEFAULT-VALUE})")
  String ramp;

  @Option(names = "--call-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "how long a call waits for its answer (ms, s or m; default ${DEFAULT-VALUE})")
  String callTimeout;

  @Option(names = "--transport", paramLabel = "ENGINE", defaultValue = "netty",
      description = {"netty (default: shared event loops) or java-websocket",
          "(two threads per charge point)"})
  String transport;

  @Option(names = "--metrics-out", paramLabel = "FILE",
      description = {"write the run's metrics to FILE when the summary is printed:",
          "JSON if FILE ends in .json, else Prometheus text format"})
  Path metricsOut;

  /** A picocli command line for a fresh command object, with the simulator's error output. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new SimulatorCommand());
    cmd.setParameterExceptionHandler((e, args) -> {
      var err = e.getCommandLine().getErr();
      err.println("simulator: " + e.getMessage());
      // A typo gets the options it resembles; any other mistake the whole usage text.
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err) && !printNearOptions(e, err)) {
        e.getCommandLine().usage(err);
      }
      return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    });
    return cmd;
  }

  /**
   * Suggests the options within two edits of an unknown one. picocli suggests only options that
   * start with the same two letters, so {@code --cuont} would get nothing.
   */
  private static boolean printNearOptions(ParameterException e, PrintWriter err) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException u) || !u.isUnknownOption()) {
      return false;
    }
    String typo = u.getUnmatched().get(0).split("=", 2)[0];
    LevenshteinDistance distance = new LevenshteinDistance(/* threshold= */ 2);
    List<String> near = e.getCommandLine().getCommandSpec().optionsMap().keySet().stream()
        .filter(name -> name.startsWith("--") && distance.apply(typo, name) >= 0)
        .sorted(Comparator.comparing((String name) -> distance.apply(typo, name)).thenComparing(name -> name))
        .toList();
    if (near.isEmpty()) {
      return false;
    }
    err.println("Possible solutions: " + String.join(", ", near));
    return true;
  }

  /**
   * The options these parsed values describe.
   *
   * @throws ParameterException with the check's message when a value or a combination is wrong
   */
  SimulatorOptions options() {
    try {
      return SimulatorOptions.of(this);
    } catch (UsageException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /**
   * The project's version: the jar manifest's Implementation-Version, or, when run from
   * target/classes, the one Maven wrote into simulator-version.properties.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "simulator " + version(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }

    static String version() {
      String fromJar = SimulatorCommand.class.getPackage().getImplementationVersion();
      if (fromJar != null) {
        return fromJar;
      }
      try (InputStream in = SimulatorCommand.class.getResourceAsStream("simulator-version.properties")) {
        if (in == null) {
          throw new IllegalStateException("simulator-version.properties is missing from the class path");
        }
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version");
      } catch (IOException e) {
        throw new IllegalStateException("cannot read simulator-version.properties", e);
      }
    }
  }
}
