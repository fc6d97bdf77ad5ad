package dev.ocppj.examples.simulator;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.CloseEvent;
import dev.ocppj.client.MessageEvent;
import dev.ocppj.client.OpenEvent;
import dev.ocppj.client.rpc.Direction;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Prints one charge point's traffic, one line per message: time since the start, who sends to
 * whom, the message type and action, for an answer the time since its CALL, and the payload.
 *
 * <pre>
 * +0.031s CP001 -> CSMS  CALL   BootNotification            {"chargePointVendor":...}
 * +0.036s CP001 <- CSMS  RESULT BootNotification      5.1 ms {"status":"Accepted",...}
 * </pre>
 */
final class MessagePrinter implements ClientListener {
  private static final int MAX_PAYLOAD = 240;

  private record Sent(String action, long nanos) {}

  private final String identity;
  private final PrintStream out;
  private final long startNanos;
  // CALLs waiting for their answer, by direction and message id.
  private final Map<String, Sent> calls = new ConcurrentHashMap<>();

  MessagePrinter(String identity, PrintStream out, long startNanos) {
    this.identity = identity;
    this.out = out;
    this.startNanos = startNanos;
  }

  @Override
  public void onOpen(OpenEvent event) {
    line("open   " + event.url() + " (" + event.protocol() + ")");
  }

  @Override
  public void onClose(CloseEvent event) {
    line("closed " + event.code() + (event.reason().isEmpty() ? "" : " " + event.reason()));
  }

  @Override
  public void onDisconnect(CloseEvent event) {
    line("lost   " + event.code() + (event.reason().isEmpty() ? "" : " " + event.reason()));
  }

  @Override
  public void onMessage(MessageEvent event) {
    long now = System.nanoTime();
    boolean sent = event.direction() == Direction.OUT;
    String arrow = sent ? "-> CSMS" : "<- CSMS";
    JsonNode frame;
    try {
      frame = Json.MAPPER.readTree(event.text());
    } catch (RuntimeException e) {
      line(arrow + "  ?????? " + event.text());
      return;
    }
    String id = frame.path(1).asString("?");
    switch (frame.path(0).asInt(-1)) {
      case 2 -> {
        String action = frame.path(2).asString("?");
        calls.put(event.direction() + id, new Sent(action, now));
        line(String.format("%s  CALL   %-27s %9s %s", arrow, action, "", payload(frame.path(3))));
      }
      case 3, 4 -> {
        // An answer travels the other way from its CALL.
        Sent call = calls.remove((sent ? Direction.IN : Direction.OUT) + id);
        String action = call == null ? "(id " + id + ")" : call.action();
        String latency = call == null ? "" : String.format("%.1f ms", (now - call.nanos()) / 1e6);
        String rest =
            frame.path(0).asInt() == 3
                ? "RESULT " + String.format("%-27s %9s %s", action, latency, payload(frame.path(2)))
                : "ERROR  " + String.format("%-27s %9s %s: %s %s", action, latency,
                    frame.path(2).asString(""), frame.path(3).asString(""), payload(frame.path(4)));
        line(arrow + "  " + rest);
      }
      default -> line(arrow + "  ?????? " + event.text());
    }
  }

  private void line(String text) {
    out.printf("+%.3fs %s %s%n", (System.nanoTime() - startNanos) / 1e9, identity, text);
  }

  private static String payload(JsonNode node) {
    String s = node.toString();
    return s.length() <= MAX_PAYLOAD ? s : s.substring(0, MAX_PAYLOAD) + "...";
  }
}
