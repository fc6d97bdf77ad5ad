package dev.ocppj.examples.simulator;

import dev.ocppj.examples.simulator.SimulatorOptions.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of a scenario: a model event, applied to every charge point in turn. Written
 * {@code name[:location][=argument][*repeat]}, steps separated by commas:
 * {@code token,plug,meter*3,token,unplug,heartbeat}.
 *
 * @param name what happens (see {@link #NAMES})
 * @param location the connector (1.6) or EVSE (2.x), 1 unless given
 * @param argument the token value, fault code or wait time; null for the default
 * @param repeat how many times in a row
 */
record Step(String name, int location, String argument, int repeat) {
  private static final Pattern STEP = Pattern.compile("([a-z]+)(?::(\\d+))?(?:=([^*]+))?(?:\\*(\\d+))?");
  private static final List<String> KNOWN = List.of(
      "token", "plug", "unplug", "meter", "suspend", "resume", "fault", "clear", "offline", "online",
      "heartbeat", "wait", "csms");

  /** The preset scenarios: {@code boot} and {@code full} (with {@code meterValues} samples). */
  static String preset(String name, int meterValues, boolean embeddedCsms) {
    return switch (name) {
      case "boot" -> "heartbeat";
      case "full" -> "token,plug" + (meterValues > 0 ? ",meter*" + meterValues : "")
          + ",token,unplug,heartbeat" + (embeddedCsms ? ",csms" : "");
      default -> throw new UsageException("--scenario must be boot or full, got " + name);
    };
  }

  /**
   * Parses a step list.
   *
   * @throws UsageException naming the step that is wrong
   */
  static List<Step> parse(String text, boolean embeddedCsms) {
    List<Step> steps = new ArrayList<>();
    for (String word : text.split(",")) {
      String w = word.trim().toLowerCase(Locale.ROOT);
      Matcher m = STEP.matcher(w);
      if (!m.matches() || !KNOWN.contains(m.group(1))) {
        throw new UsageException("--steps: unknown step \"" + word.trim() + "\"; steps are " + KNOWN);
      }
      String name = m.group(1);
      int location = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
      if (location < 1 || location > 100) {
        throw new UsageException("--steps: " + w + ": the location must be 1..100");
      }
      int repeat = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
      if (repeat < 1 || repeat > 10_000) {
        throw new UsageException("--steps: " + w + ": the repeat count must be 1..10000");
      }
      String argument = m.group(3) == null ? null : word.trim().substring(word.trim().indexOf('=') + 1).replaceFirst("\\*\\d+$", "");
      if (name.equals("wait")) {
        if (argument == null) {
          throw new UsageException("--steps: wait needs a duration, e.g. wait=5s");
        }
        SimulatorOptions.duration("--steps wait", argument);
      }
      if (name.equals("csms") && !embeddedCsms) {
        throw new UsageException("--steps: csms needs the embedded CSMS (no --url)");
      }
      steps.add(new Step(name, location, argument, repeat));
    }
    return List.copyOf(steps);
  }

  /** The wait step's duration. */
  Duration duration() {
    return SimulatorOptions.duration("--steps wait", argument);
  }

  @Override
  public String toString() {
    return name + (location != 1 ? ":" + location : "") + (argument != null ? "=" + argument : "")
        + (repeat != 1 ? "*" + repeat : "");
  }
}
