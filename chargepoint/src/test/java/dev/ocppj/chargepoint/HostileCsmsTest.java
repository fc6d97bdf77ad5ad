package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hostile CSMS: malformed and extreme payloads on a non-strict client. Every call must be
 * answered within 10 s with a CALLRESULT or the CALLERROR its fault calls for (never an
 * InternalError from a parsing slip), state must stay bounded, and the station must still
 * answer a TriggerMessage for a Heartbeat afterwards.
 */
@Timeout(60)
class HostileCsmsTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Actions that reboot or close the connection when a mutated payload is still valid. */
  static final Set<String> SKIPPED = Set.of("Reset", "UpdateFirmware", "PublishFirmware", "SetNetworkProfile");

  // ---- stations on a non-strict client

  static final class Station implements AutoCloseable {
    final TestCsms csms = TestCsms.start();
    final String id;
    final OcppClient client;
    final AbstractStation station;

    Station(OcppVersion version) throws Exception {
      this(version, WAIT);
    }

    Station(OcppVersion version, Duration callTimeout) throws Exception {
      id = version == OcppVersion.V1_6 ? "HOSTILE16" : "HOSTILE2";
      client = OcppClient.builder(csms.endpoint(), id).protocols(version).callTimeout(callTimeout).build();
      StationProfile.Builder b = version == OcppVersion.V1_6
          ? StationProfile.builder("VendorX", "ModelY").connectors(2)
          : ChargingStation2Fixture.profile();
      b.rebootDelay(Duration.ofMillis(500)).stepDelay(Duration.ofMillis(20));
      station = version == OcppVersion.V1_6 ? ChargePoint.create(client, b.build())
          : ChargingStation.create(client, b.build());
      station.start().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Frame> send(String action, JsonNode params) {
      return csms.call(id, action, params).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    Frame call(String action, String params) throws Exception {
      return send(action, TestCsms.json(params)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The positive signal: a triggered Heartbeat is answered Accepted and then sent. */
    void assertAlive() throws Exception {
      boolean v16 = station instanceof ChargePoint;
      Frame f = call("TriggerMessage", v16 ? "{\"requestedMessage\":\"Heartbeat\"}" : "{\"requestedMessage\":\"Heartbeat\"}");
      assertThat(f.messageType()).as(f.text()).isEqualTo(3);
      assertThat(f.payload().path("status").asString()).isEqualTo("Accepted");
      csms.awaitCall("Heartbeat", WAIT);
    }

    @Override
    public void close() {
      try {
        station.close();
      } finally {
        csms.close();
      }
    }
  }

  // ---- mutation fuzzing of every operation

  static final List<JsonNode> HOSTILE = List.of(
      NODES.numberNode(99_999_999_999L), NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
      NODES.numberNode(-1), NODES.numberNode(Integer.MAX_VALUE), NODES.numberNode(1e300), NODES.numberNode(1.5),
      NODES.stringNode("x"), NODES.stringNode("+999999999-12-31T23:59:59Z"), NODES.stringNode("-999999999-01-01T00:00:00Z"),
      NODES.objectNode(), NODES.arrayNode(), NODES.arrayNode().add(NODES.objectNode()), NODES.nullNode(), NODES.booleanNode(true));

  /** Every payload made by replacing (or removing) one field of {@code base}, at any depth. */
  static List<JsonNode> mutations(JsonNode base) {
    List<JsonNode> out = new ArrayList<>();
    out.add(NODES.objectNode());
    out.add(NODES.arrayNode());
    mutate(base, base, out, 0);
    return out;
  }

  private static void mutate(JsonNode root, JsonNode node, List<JsonNode> out, int depth) {
    if (depth > 4) {
      return;
    }
    if (node instanceof ObjectNode o) {
      for (String name : List.copyOf(o.propertyNames())) {
        JsonNode old = o.get(name);
        o.remove(name);
        out.add(root.deepCopy());
        for (JsonNode h : HOSTILE) {
          o.set(name, h);
          out.add(root.deepCopy());
        }
        o.set(name, old);
        mutate(root, old, out, depth + 1);
      }
    } else if (node instanceof ArrayNode a && !a.isEmpty()) {
      JsonNode old = a.get(0);
      for (JsonNode h : HOSTILE) {
        a.set(0, h);
        out.add(root.deepCopy());
      }
      a.set(0, old);
      mutate(root, old, out, depth + 1);
    }
  }

  /** Sends every mutation of every base payload; returns the answers that broke a rule. */
  static List<String> fuzz(Station s, Map<String, String> bases) throws Exception {
    List<String> broken = new ArrayList<>();
    for (Map.Entry<String, String> base : bases.entrySet()) {
      String action = base.getKey().substring(0, base.getKey().indexOf(' '));
      List<JsonNode> payloads = mutations(TestCsms.json(base.getValue()));
      List<CompletableFuture<Frame>> answers = new ArrayList<>();
      for (JsonNode p : payloads) {
        answers.add(s.send(action, p));
      }
      for (int i = 0; i < answers.size(); i++) {
        try {
          Frame f = answers.get(i).get(WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS);
          if (f.messageType() == 4 && Set.of("InternalError", "GenericError").contains(f.errorCode())) {
            broken.add(action + " " + payloads.get(i) + " -> " + f.errorCode() + " " + f.payload() + " " + f.text());
          }
        } catch (Exception e) {
          broken.add(action + " " + payloads.get(i) + " -> no answer: " + e);
        }
      }
    }
    return broken;
  }

  static Map<String, String> bases16() {
    Map<String, String> bases = new LinkedHashMap<>();
    ChargePoint16OperationsTest.rows().filter(r -> !SKIPPED.contains(r.action()))
        .forEach(r -> bases.putIfAbsent(r.action() + " " + r.payload().length(), r.payload()));
    return bases;
  }

  static Map<String, String> bases2(OcppVersion v) {
    Map<String, String> bases = new LinkedHashMap<>();
    ChargingStation2OperationsTest.rows().map(a -> (ChargingStation2OperationsTest.Row) a.get()[1])
        .filter(r -> r.versions().contains(v) && !SKIPPED.contains(r.action()))
        .forEach(r -> bases.putIfAbsent(r.action() + " " + r.payload().length(), r.payload()));
    return bases;
  }

  @Test
  void fuzz16() throws Exception {
    try (Station s = new Station(OcppVersion.V1_6)) {
      List<String> broken = fuzz(s, bases16());
      assertThat(broken).as(broken.size() + " broken answers").isEmpty();
      s.assertAlive();
    }
  }

  @Test
  void fuzz201() throws Exception {
    try (Station s = new Station(OcppVersion.V2_0_1)) {
      List<String> broken = fuzz(s, bases2(OcppVersion.V2_0_1));
      assertThat(broken).as(broken.size() + " broken answers").isEmpty();
      s.assertAlive();
    }
  }

  @Test
  void fuzz21() throws Exception {
    try (Station s = new Station(OcppVersion.V2_1)) {
      List<String> broken = fuzz(s, bases2(OcppVersion.V2_1));
      assertThat(broken).as(broken.size() + " broken answers").isEmpty();
      s.assertAlive();
    }
  }

  // ---- bounded state

  static List<Frame> all(List<CompletableFuture<Frame>> answers) throws Exception {
    List<Frame> out = new ArrayList<>();
    for (CompletableFuture<Frame> a : answers) {
      out.add(a.get(WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS));
    }
    return out;
  }

  @Test
  void localListStaysWithinItsMaximum() throws Exception {
    try (Station s = new Station(OcppVersion.V1_6)) {
      ChargePoint cp = (ChargePoint) s.station;
      StringBuilder big = new StringBuilder("{\"listVersion\":1,\"updateType\":\"Full\",\"localAuthorizationList\":[");
      for (int i = 0; i < 5_000; i++) {
        big.append(i == 0 ? "" : ",").append("{\"idTag\":\"T").append(i).append("\",\"idTagInfo\":{\"status\":\"Accepted\"}}");
      }
      assertThat(s.call("SendLocalList", big.append("]}").toString()).payload().path("status").asString()).isEqualTo("Failed");
      // 10,100 entries in differential chunks of 100: the last chunk no longer fits.
      List<String> statuses = new ArrayList<>();
      for (int chunk = 0; chunk < 101; chunk++) {
        StringBuilder b = new StringBuilder("{\"listVersion\":" + (chunk + 1)
            + ",\"updateType\":\"Differential\",\"localAuthorizationList\":[");
        for (int i = 0; i < 100; i++) {
          b.append(i == 0 ? "" : ",").append("{\"idTag\":\"C").append(chunk * 100 + i)
              .append("\",\"idTagInfo\":{\"status\":\"Accepted\"}}");
        }
        statuses.add(s.call("SendLocalList", b.append("]}").toString()).payload().path("status").asString());
      }
      assertThat(statuses.subList(0, 100)).containsOnly("Accepted");
      assertThat(statuses.get(100)).isEqualTo("Failed");
      synchronized (cp) {
        assertThat(cp.auth.size()).isEqualTo(ChargePoint.LIST_MAX_LENGTH);
      }
      s.assertAlive();
    }
  }

  static String profile16(int id) {
    return "{\"connectorId\":0,\"csChargingProfiles\":{\"chargingProfileId\":" + id + ",\"stackLevel\":" + (id % 50)
        + ",\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Recurring\",\"recurrencyKind\":\"Daily\","
        + "\"chargingSchedule\":{\"startSchedule\":\"2020-01-01T00:00:00Z\",\"chargingRateUnit\":\"W\",\"chargingSchedulePeriod\":["
        + periods() + "]}}}";
  }

  static String profile2(int id) {
    return "{\"evseId\":0,\"chargingProfile\":{\"id\":" + id + ",\"stackLevel\":" + (id % 50)
        + ",\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Recurring\",\"recurrencyKind\":\"Daily\","
        + "\"chargingSchedule\":[{\"id\":1,\"startSchedule\":\"2020-01-01T00:00:00Z\",\"chargingRateUnit\":\"W\","
        + "\"chargingSchedulePeriod\":[" + periods() + "]}]}}";
  }

  // 24 periods an hour apart, each a different limit: the most edges a schedule may have.
  static String periods() {
    StringBuilder b = new StringBuilder();
    for (int h = 0; h < 24; h++) {
      b.append(h == 0 ? "" : ",").append("{\"startPeriod\":").append(h * 3600).append(",\"limit\":").append(1000 + h).append("}");
    }
    return b.toString();
  }

  @Test
  void chargingProfilesStayBoundedAndCompositeOfAnyDurationIsQuick16() throws Exception {
    try (Station s = new Station(OcppVersion.V1_6)) {
      ChargePoint cp = (ChargePoint) s.station;
      List<CompletableFuture<Frame>> answers = new ArrayList<>();
      for (int id = 1; id <= 1_000; id++) {
        answers.add(s.send("SetChargingProfile", TestCsms.json(profile16(id))));
      }
      assertThat(all(answers)).allMatch(f -> f.messageType() == 3);
      synchronized (cp) {
        assertThat(cp.profiles.profiles()).hasSizeLessThanOrEqualTo(cp.config.intValue("MaxChargingProfilesInstalled"));
      }
      Frame f = s.call("GetCompositeSchedule", "{\"connectorId\":1,\"duration\":" + Integer.MAX_VALUE + "}");
      assertThat(f.messageType()).as(f.text()).isEqualTo(3);
      assertThat(f.payload().path("chargingSchedule").path("chargingSchedulePeriod").size()).isBetween(1, 100_000);
      s.assertAlive();
    }
  }

  @Test
  void chargingProfilesStayBoundedAndCompositeOfAnyDurationIsQuick2() throws Exception {
    try (Station s = new Station(OcppVersion.V2_0_1)) {
      ChargingStation cs = (ChargingStation) s.station;
      List<CompletableFuture<Frame>> answers = new ArrayList<>();
      for (int id = 1; id <= 1_000; id++) {
        answers.add(s.send("SetChargingProfile", TestCsms.json(profile2(id))));
      }
      assertThat(all(answers)).allMatch(f -> f.messageType() == 3);
      synchronized (cs) {
        // One TxDefaultProfile per stack level on EVSE 0: a new one replaces the old (K01.FR.05).
        assertThat(cs.profiles().profiles()).hasSizeLessThanOrEqualTo(Cs2OperationsSmart.MAX_STACK_LEVEL + 1);
      }
      Frame f = s.call("GetCompositeSchedule", "{\"evseId\":1,\"duration\":" + Integer.MAX_VALUE + ",\"chargingRateUnit\":\"W\"}");
      assertThat(f.messageType()).as(f.text()).isEqualTo(3);
      s.assertAlive();
    }
  }

  @Test
  void floodOfCallsWithFollowUpsIsRefusedOnceTheWorkQueueIsFull() throws Exception {
    for (OcppVersion v : List.of(OcppVersion.V1_6, OcppVersion.V2_0_1)) {
      // Calls time out quickly so that the backlog drains within the test.
      try (Station s = new Station(v, Duration.ofMillis(200))) {
        s.station.work.maxPending = 10;
        s.csms.noAnswer("StatusNotification");
        String trigger = v == OcppVersion.V1_6 ? "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":1}"
            : "{\"requestedMessage\":\"StatusNotification\",\"evse\":{\"id\":1,\"connectorId\":1}}";
        List<CompletableFuture<Frame>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          answers.add(s.send("TriggerMessage", TestCsms.json(trigger)));
        }
        List<Frame> frames = all(answers);
        assertThat(frames).allMatch(f -> f.messageType() == 3 || "GenericError".equals(f.errorCode()));
        assertThat(frames).anyMatch(f -> f.messageType() == 4);
        assertThat(s.station.work.pending()).isLessThanOrEqualTo(10);
        // The CSMS answers again and the backlog drains; the station is whole.
        s.csms.defaultAnswer("StatusNotification");
        s.station.idle().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        s.assertAlive();
      }
    }
  }

  @Test
  void monitorsStayBoundedAcrossMessages() throws Exception {
    try (Station s = new Station(OcppVersion.V2_0_1)) {
      ChargingStation cs = (ChargingStation) s.station;
      // Distinct monitors (variable x type x severity) past the cap: Periodic suits every variable.
      List<String> items = new ArrayList<>();
      for (Cs2DeviceModel.Def d : Cs2Variables.DEFS) {
        if (d.scope() != Cs2DeviceModel.Scope.STATION || d.mutability().equals("WriteOnly") || d.instance() != null
            || (d.feature() != null && !cs.profile().supports(d.feature()))) {
          continue;
        }
        for (String type : List.of("Periodic", "PeriodicClockAligned")) {
          for (int severity = 0; severity <= 9; severity++) {
            items.add("{\"value\":60,\"type\":\"" + type + "\",\"severity\":" + severity
                + ",\"component\":{\"name\":\"" + d.component() + "\"},\"variable\":{\"name\":\"" + d.name() + "\"}}");
          }
        }
      }
      assertThat(items).hasSizeGreaterThan(Cs2Monitoring.MAX_MONITORS + 20);
      List<String> statuses = new ArrayList<>();
      for (int from = 0; from < Cs2Monitoring.MAX_MONITORS + 20; from += 20) {
        String message = "{\"setMonitoringData\":[" + String.join(",", items.subList(from, from + 20)) + "]}";
        for (JsonNode r : s.call("SetVariableMonitoring", message).payload().path("setMonitoringResult")) {
          statuses.add(r.path("status").asString());
        }
      }
      assertThat(statuses.subList(0, Cs2Monitoring.MAX_MONITORS)).containsOnly("Accepted");
      assertThat(statuses.subList(Cs2Monitoring.MAX_MONITORS, statuses.size())).containsOnly("Rejected");
      synchronized (cs) {
        assertThat(cs.monitoring().count()).isEqualTo(Cs2Monitoring.MAX_MONITORS);
      }
      s.assertAlive();
    }
  }

  @Test
  void firmwareAndLogRequestsForTheFarFutureLeaveOneTimerEach() throws Exception {
    try (Station s = new Station(OcppVersion.V2_0_1)) {
      int before = StationTimer.scheduled();
      for (int i = 0; i < 300; i++) {
        Frame f = s.call("UpdateFirmware", "{\"requestId\":" + i
            + ",\"firmware\":{\"location\":\"https://x/fw-9.9." + i + ".bin\",\"retrieveDateTime\":\"2999-01-01T00:00:00Z\"}}");
        assertThat(f.messageType()).as(f.text()).isEqualTo(3);
      }
      // Each request replaced the last one's pending step; other stations' timers come and go.
      assertThat(StationTimer.scheduled()).isLessThan(before + 50);
      s.assertAlive();
    }
  }
}
