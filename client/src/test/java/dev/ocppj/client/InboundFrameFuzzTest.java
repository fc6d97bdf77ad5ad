package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ocppj.client.testing.RawPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Coverage-guided fuzzing of everything a CSMS can send as a text frame: transport, codec,
 * router, handler dispatch and error replies, on a real connection. Each input is sent as one
 * frame, then a probe CALL; invariants: whatever the input, every reply is a well-formed
 * CALLRESULT or CALLERROR with a code OCPP-J 1.6 defines, a CALL-shaped input gets exactly one
 * reply with its id (FormationViolation when its payload is not an object), the probe is
 * answered (the connection stays usable), nothing escapes to a thread's uncaught handler, and
 * nothing is left pending.
 *
 * <p>{@code mvn verify} replays the committed seed corpus ({@code InboundFrameFuzzTestInputs})
 * and fuzzes for a few seconds (the {@code fuzz} execution, {@code JAZZER_FUZZ=1}); the README
 * says how to fuzz longer.
 */
class InboundFrameFuzzTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MAX_FRAME = 64 * 1024;
  private static final Set<String> CODES_1_6 =
      Set.of("NotImplemented", "NotSupported", "InternalError", "ProtocolError", "SecurityError",
          "FormationViolation", "PropertyConstraintViolation", "OccurenceConstraintViolation",
          "TypeConstraintViolation", "GenericError");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static RawPeer peer;
  private static RawPeer.Conn conn;
  private static OcppClient client;
  private static final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private static Thread.UncaughtExceptionHandler previousHandler;
  private static long probes;

  @BeforeAll
  static void connect() throws Exception {
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
    peer = new RawPeer();
    client =
        OcppClient.builder(peer.endpoint(), "FUZZ")
            .protocols(OcppVersion.V1_6)
            .pingInterval(Duration.ZERO)
            // One handler at a time: replies leave in the order the CALLs arrived, so every
            // reply to an input comes before the probe's.
            .handlerConcurrency(1)
            .build();
    client.handle("DataTransfer", call -> Map.of("status", "Accepted"));
    client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    conn = peer.accept(WAIT);
    // Warm up (under the fuzzer, classes are instrumented as they load, which can take longer
    // than a reply may): a handled CALL, an unknown action, a malformed frame.
    conn.sendTexts("[2,\"w1\",\"DataTransfer\",{\"vendorId\":\"v\"}]", "[2,\"w2\",\"Nope\",{}]", "[2,\"w3\"");
    for (int i = 0; i < 3; i++) {
      assertThat(conn.readText(Duration.ofMinutes(2))).isNotNull();
    }
  }

  @AfterAll
  static void close() throws Exception {
    try {
      assertThat(escaped).as("exceptions that escaped to a thread's uncaught handler").isEmpty();
      assertThat(client.pendingCounts()).containsExactly(0, 0);
      assertThat(client.state()).isEqualTo(ClientState.OPEN);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previousHandler);
      if (client != null) {
        client.close(CloseOptions.defaults().withForce(true)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      if (peer != null) {
        peer.close();
      }
    }
  }

  @FuzzTest(maxDuration = "20s")
  void inboundFrame(byte[] input) throws Exception {
    check(input);
  }

  /** The same, for as long as you let it run (see the README). */
  @org.junit.jupiter.api.Timeout(value = 9, unit = TimeUnit.HOURS) // not the suite's 120 s default
  @FuzzTest(maxDuration = "8h")
  void inboundFrameLong(byte[] input) throws Exception {
    check(input);
  }

  private static void check(byte[] input) throws Exception {
    String frame = new String(input, 0, Math.min(input.length, MAX_FRAME), StandardCharsets.UTF_8);
    // Random, so the fuzzer cannot learn it from the comparisons below and put it in an input.
    String probeId = "p" + Long.toHexString(RANDOM.nextLong()) + "-" + (++probes);
    conn.sendTexts(frame, "[2,\"" + probeId + "\",\"DataTransfer\",{\"vendorId\":\"fuzz\"}]");

    List<JsonNode> replies = new ArrayList<>();
    JsonNode probeReply = null;
    while (probeReply == null) {
      RawPeer.Frame f = conn.readFrame(WAIT);
      assertThat(f).as("connection ended after input %s", frame).isNotNull();
      assertThat(f.opcode()).as("close frame after input %s: %s", frame, f.closeReason()).isNotEqualTo(RawPeer.CLOSE);
      if (f.opcode() != RawPeer.TEXT) {
        continue;
      }
      JsonNode reply = JSON.readTree(f.text());
      assertWellFormedReply(reply, frame);
      if (reply.get(1).asString().equals(probeId)) {
        probeReply = reply;
      } else {
        replies.add(reply);
      }
    }
    assertThat(probeReply.get(0).asInt()).as("probe after %s: %s", frame, probeReply).isEqualTo(3);

    JsonNode call = callShaped(frame);
    if (call != null) {
      String id = call.get(1).asString();
      List<JsonNode> forIt = replies.stream().filter(r -> r.get(1).asString().equals(id)).toList();
      assertThat(forIt).as("replies to CALL %s", frame).hasSize(1);
      if (!call.get(3).isObject()) {
        assertThat(forIt.get(0).get(0).asInt()).isEqualTo(4);
        assertThat(forIt.get(0).get(2).asString()).as("reply to %s", frame).isEqualTo("FormationViolation");
      }
    }
  }

  /** [3, id, {payload}] or [4, id, code, description, {details}] with a 1.6 error code. */
  private static void assertWellFormedReply(JsonNode reply, String input) {
    assertThat(reply.isArray()).as("reply to %s: %s", input, reply).isTrue();
    int type = reply.get(0).asInt();
    assertThat(type).as("reply to %s: %s", input, reply).isIn(3, 4);
    assertThat(reply.get(1).isString()).as("reply to %s: %s", input, reply).isTrue();
    if (type == 3) {
      assertThat(reply.size()).isEqualTo(3);
      assertThat(reply.get(2).isObject()).isTrue();
    } else {
      assertThat(reply.size()).as("reply to %s: %s", input, reply).isEqualTo(5);
      assertThat(reply.get(2).asString()).as("reply to %s: %s", input, reply).isIn(CODES_1_6);
      assertThat(reply.get(3).isString()).isTrue();
      assertThat(reply.get(4).isObject()).isTrue();
    }
  }

  /**
   * The input read as a CALL whose id can be answered: an array of four elements, 2 first, then
   * a string id of at most 36 characters and a string action. Null if it is not one.
   */
  private static JsonNode callShaped(String frame) {
    JsonNode n;
    try {
      n = JSON.readTree(frame);
    } catch (RuntimeException e) {
      return null;
    }
    if (n == null || !n.isArray() || n.size() != 4) {
      return null;
    }
    JsonNode type = n.get(0);
    if (!type.isIntegralNumber() || !type.canConvertToInt() || type.asInt() != 2) {
      return null;
    }
    JsonNode id = n.get(1);
    if (!id.isString() || id.asString().isEmpty() || id.asString().length() > 36 || !n.get(2).isString()) {
      return null;
    }
    return n;
  }
}
