package dev.ocppj.examples.simulator;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import dev.ocppj.chargepoint.StationProfile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulator's command line, parsed and checked: every bad value fails with a message that
 * names the option and the value.
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
    Transport transport) {

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

  static final String USAGE =
      """
      usage: simulator [options]
        --url ws://host:port/path   CSMS endpoint; the identity is appended
                                    (default: start the embedded test CSMS on 127.0.0.1)
        --identity CP001            charge point identity; with --count N the identities
                                    are <identity>-1 .. <identity>-N
        --protocol ocpp1.6          ocpp1.6, ocpp2.0.1 or ocpp2.1
        --password secret           HTTP Basic auth (security profile 1, or 2 on wss://)
        --count 1                   charge points to run in this JVM
        --connectors 2              connectors (EVSEs in 2.x) per charge point
        --station station.json      the station profile (JSON or YAML: vendor, model,
                                    EVSEs, features, reboot time; see the README);
                                    replaces --connectors
        --scenario full             boot: boot, status, a heartbeat
                                    full: boot, status, then the steps
                                    token,plug,meter*3,token,unplug,heartbeat and, against
                                    the embedded CSMS, csms (its calls, each checked)
        --steps token,plug,...      your own steps after the boot (replaces --scenario), each
                                    name[:location][=value][*repeat], location 1 by default:
                                      token[=VALUE]    present a token (default: a valid ISO
                                                       14443 UID per charge point); again: stop
                                      plug, unplug     a cable in / out (out stops a transaction)
                                      meter            sample the meter now
                                      suspend, resume  the EV stops / resumes drawing power
                                      fault[=CODE]     a fault (default GroundFailure)
                                      clear            the fault is gone
                                      offline, online  the network goes away / comes back
                                      heartbeat        a Heartbeat
                                      wait=DURATION    let time pass: 500ms, 30s, 2m
                                      csms             the embedded CSMS's calls, each checked
        --meter-values 3            meter value samples per transaction in full
        --no-strict                 do not validate messages against the OCA schemas
        --verbose                   print every message even for many charge points
        --stay                      stay connected after the scenario until Ctrl-C
        --ramp 100                  charge points connecting and booting at once
        --call-timeout 30s          how long a call waits for its answer (ms, s or m)
        --transport netty           netty (shared event loops) or java-websocket
                                    (two threads per charge point)
        --help                      this text
      Exit status: 0 when every charge point completed its scenario, 1 when one did not,
      2 for a bad command line.
      """;

  /** Thrown for a bad command line; the message says what is wrong. */
  static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }

  /** Parses {@code --name value} and {@code --name=value} arguments; null for {@code --help}. */
  static SimulatorOptions parse(String... args) {
    List<String> words = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        words.add(a.substring(0, eq));
        words.add(a.substring(eq + 1));
      } else {
        words.add(a);
      }
    }
    Mutable m = new Mutable();
    for (int i = 0; i < words.size(); i++) {
      String name = words.get(i);
      switch (name) {
        case "--help", "-h" -> {
          return null;
        }
        case "--no-strict" -> m.strict = false;
        case "--verbose" -> m.verbose = true;
        case "--stay" -> m.stay = true;
        default -> {
          if (!name.startsWith("--")) {
            throw new UsageException("unexpected argument " + name + " (options start with --)");
          }
          if (i + 1 >= words.size()) {
            throw new UsageException(name + " needs a value");
          }
          m.set(name, words.get(++i));
        }
      }
    }
    SimulatorOptions o = m.freeze();
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

  /** The options while the command line is read. */
  private static final class Mutable {
    // The defaults, as the usage text states them.
    URI url;
    String identity = "CP001";
    OcppVersion protocol = OcppVersion.V1_6;
    String password;
    int count = 1;
    int connectors = 2;
    Scenario scenario = Scenario.FULL;
    String steps;
    StationProfile station;
    int meterValues = 3;
    boolean strict = true;
    boolean verbose;
    boolean stay;
    int ramp = 100;
    Duration callTimeout = Duration.ofSeconds(30);
    Transport transport = Transport.NETTY;

    void set(String name, String value) {
      switch (name) {
        case "--url" -> url = url(value);
        case "--identity" -> identity = value;
        case "--protocol" -> protocol = protocol(value);
        case "--password" -> password = value;
        case "--count" -> count = number(name, value, 1, 100_000);
        case "--connectors" -> connectors = number(name, value, 1, 32);
        case "--scenario" -> scenario = scenario(value);
        case "--steps" -> steps = value;
        case "--station" -> station = station(value);
        case "--meter-values" -> meterValues = number(name, value, 0, 1000);
        case "--ramp" -> ramp = number(name, value, 1, 10_000);
        case "--call-timeout" -> callTimeout = duration(name, value);
        case "--transport" -> transport = transport(value);
        default -> throw new UsageException("unknown option " + name + " (see --help)");
      }
    }

    SimulatorOptions freeze() {
      boolean embedded = url == null;
      List<Step> parsed = steps != null
          ? Step.parse(steps, embedded)
          : Step.parse(Step.preset(scenario.name().toLowerCase(Locale.ROOT), meterValues, embedded), embedded);
      StationProfile profile = station != null ? station : builtInStation(connectors);
      return new SimulatorOptions(
          url, identity, protocol, password, count, profile.evses().size(), steps != null ? Scenario.CUSTOM : scenario,
          parsed, profile, meterValues, strict, verbose, stay, ramp, callTimeout, transport);
    }
  }
}
