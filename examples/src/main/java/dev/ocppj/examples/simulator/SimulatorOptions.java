package dev.ocppj.examples.simulator;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import dev.ocppj.chargepoint.StationProfile;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The simulator's command line, parsed (by picocli, see {@link SimulatorCommand}) and checked:
 * every bad value fails with a message that names the option and the value.
 *
 * @param url the CSMS endpoint, the identity is appended; null starts the embedded test CSMS
 * @param identity the charge point identity, or the prefix of {@code <identity>-<i>} for many
 * @param protocol the OCPP version to speak
 * @param password the Basic auth password (security profile 1 on ws://, 2 on wss://), or null
 * @param count how many charge points to run in this JVM
 * @param connectors connectors (1.6) or EVSEs with one connector each (2.x) per charge point
 * @param scenario which preset the steps come from (or CUSTOM for {@code --steps})
 * @param steps what each charge point does after its boot, in order
 * @param station the station profile every charge point runs (from {@code --station}, or the
 *     built-in one with {@code connectors} EVSEs)
 * @param meterValues meter value samples per transaction in the full scenario
 * @param strict whether to validate every message against the OCA schemas
 * @param verbose print every message even for many charge points
 * @param stay stay connected after the scenario, answering the CSMS, until interrupted
 * @param ramp how many charge points connect and boot at once
 * @param callTimeout how long a call waits for its answer
 * @param transport the WebSocket engine of the charge points
 * @param metricsOut where to write the run's metrics (JSON for .json, else Prometheus text), or null
 */
record SimulatorOptions(
    URI url,
    String identity,
    OcppVersion protocol,
    String password,
    int count,
    int connectors,
    Scenario scenario,
    List<Step> steps,
    StationProfile station,
    int meterValues,
    boolean strict,
    boolean verbose,
    boolean stay,
    int ramp,
    Duration callTimeout,
    Transport transport,
    Path metricsOut) {

  /** What each charge point does once connected. */
  enum Scenario {
    /** BootNotification, a StatusNotification per connector, a Heartbeat. */
    BOOT,
    /** Boot, then a whole charging session; against the embedded CSMS also its calls. */
    FULL,
    /** The steps of {@code --steps}. */
    CUSTOM
  }

  /** The station the simulator runs unless {@code --station} names one: 2 s reboots, 0.5 s transfer steps. */
  static StationProfile builtInStation(int connectors) {
    return StationProfile.builder("OcppJ", "Simulator")
        .firmwareVersion("1.0.0")
        .connectors(connectors)
        .rebootDelay(Duration.ofSeconds(2))
        .stepDelay(Duration.ofMillis(500))
        .build();
  }

  /** Thrown for a bad command line; the message says what is wrong. */
  static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses a command line: {@code --name value} and {@code --name=value}; null for {@code --help}
   * and {@code --version}.
   *
   * @throws ParameterException naming the option and the value that are wrong
   */
  static SimulatorOptions parse(String... args) {
    CommandLine cmd = SimulatorCommand.commandLine();
    cmd.parseArgs(args);
    if (cmd.isUsageHelpRequested() || cmd.isVersionHelpRequested()) {
      return null;
    }
    return cmd.<SimulatorCommand>getCommand().options();
  }

  /** The options of picocli's parsed values, each checked. */
  static SimulatorOptions of(SimulatorCommand c) {
    URI url = c.url == null ? null : url(c.url);
    OcppVersion protocol = protocol(c.protocol);
    int count = number("--count", c.count, 1, 100_000);
    int connectors = number("--connectors", c.connectors, 1, 32);
    Scenario scenario = scenario(c.scenario);
    int meterValues = number("--meter-values", c.meterValues, 0, 1000);
    int ramp = number("--ramp", c.ramp, 1, 10_000);
    Duration callTimeout = duration("--call-timeout", c.callTimeout);
    Transport transport = transport(c.transport);
    StationProfile profile = c.station != null ? station(c.station) : builtInStation(connectors);
    boolean embedded = url == null;
    List<Step> steps = c.steps != null
        ? Step.parse(c.steps, embedded)
        : Step.parse(Step.preset(scenario.name().toLowerCase(Locale.ROOT), meterValues, embedded), embedded);
    SimulatorOptions o = new SimulatorOptions(
        url, c.identity, protocol, c.password, count, profile.evses().size(),
        c.steps != null ? Scenario.CUSTOM : scenario, steps, profile, meterValues, !c.noStrict, c.verbose, c.stay,
        ramp, callTimeout, transport, metricsOut(c.metricsOut));
    o.check();
    return o;
  }

  private void check() {
    if (identity.isEmpty() || identity.contains(":") || identity.contains("/")) {
      throw new UsageException(
          "--identity must be non-empty without ':' or '/', got \"" + identity + "\"");
    }
    String longest = count == 1 ? identity : identity + "-" + count;
    if (longest.length() > 48) {
      throw new UsageException(
          "--identity " + identity + " with --count " + count + " makes identities like " + longest
              + ", longer than OCPP's 48 characters");
    }
    if (stay && url == null) {
      throw new UsageException("--stay needs --url: the embedded CSMS stops when the run ends");
    }
  }

  private static URI url(String value) {
    URI u;
    try {
      u = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--url is not a URL: " + value);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss") || u.getHost() == null) {
      throw new UsageException("--url must be ws://host[:port]/path or wss://..., got " + value);
    }
    return u;
  }

  private static OcppVersion protocol(String value) {
    return OcppVersion.fromSubprotocol(value)
        .orElseThrow(() -> new UsageException(
            "--protocol must be ocpp1.6, ocpp2.0.1 or ocpp2.1, got " + value));
  }

  private static Transport transport(String value) {
    return switch (value) {
      case "netty" -> Transport.NETTY;
      case "java-websocket" -> Transport.JAVA_WEBSOCKET;
      default -> throw new UsageException("--transport must be netty or java-websocket, got " + value);
    };
  }

  private static Scenario scenario(String value) {
    return switch (value) {
      case "boot" -> Scenario.BOOT;
      case "full" -> Scenario.FULL;
      default -> throw new UsageException("--scenario must be boot or full, got " + value);
    };
  }

  /** Reads a station profile file: YAML for .yaml/.yml, JSON otherwise. */
  static StationProfile station(String file) {
    Path path = Path.of(file);
    JsonNode tree;
    try {
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      tree = name.endsWith(".yaml") || name.endsWith(".yml")
          ? YAMLMapper.builder().build().readTree(path.toFile())
          : Json.MAPPER.readTree(path.toFile());
    } catch (JacksonException e) {
      throw new UsageException("--station " + file + ": " + (Files.exists(path) ? "not valid JSON/YAML: "
          + e.getOriginalMessage() : "no such file"));
    }
    try {
      return StationProfile.fromJson(tree);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--station " + file + ": " + e.getMessage());
    }
  }

  private static int number(String name, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a whole number, got " + value);
    }
    if (n < min || n > max) {
      throw new UsageException(name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  static Duration duration(String name, String value) {
    String v = value.toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        throw new NumberFormatException();
      }
      if (d.isNegative() || d.isZero()) {
        throw new UsageException(name + " must be positive, got " + value);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a duration like 500ms, 30s or 2m, got " + value);
    }
  }

  private static Path metricsOut(Path file) {
    if (file == null) {
      return null;
    }
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file) || dir == null || !Files.isDirectory(dir)) {
      throw new UsageException("--metrics-out " + file + ": " + (Files.isDirectory(file)
          ? "is a directory" : "no such directory " + dir));
    }
    return file;
  }
}
