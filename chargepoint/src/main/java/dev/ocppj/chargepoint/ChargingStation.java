package dev.ocppj.chargepoint;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.rpc.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A virtual OCPP 2.0.1 / 2.1 charging station: EVSEs with connectors, the device model
 * (components and variables, reports), authorization (local list, cache, Authorize),
 * transactions (TransactionEvent with a station-wide seqNo, trigger reasons, charging states and
 * meter values), reservations, smart charging, firmware and log transfers, monitoring, display
 * messages, certificates and, under 2.1, tariffs, DER control, bidirectional and battery swap
 * operations, each answered from its state with the follow-up messages a real station sends.
 *
 * <p>It speaks the version the client negotiated ({@link OcppClient#protocol()}); the 2.1-only
 * operations answer NotImplemented under 2.0.1. {@code location} in {@link VirtualStation} is the
 * EVSE id; events act on its first connector. Timers run on one shared thread; the state is
 * guarded by this object's lock, never held while sending.
 */
public final class ChargingStation extends AbstractStation implements VirtualStation {
  static final int CACHE_ENTRIES = 1000;
  static final int LIST_ENTRIES = 1000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final Cs2Evse[] evses;
  private final Cs2DeviceModel model;
  private final LocalAuthorization auth = new LocalAuthorization(LIST_ENTRIES, CACHE_ENTRIES);
  private final ChargingProfiles profiles = new ChargingProfiles();
  private final CertificateStore certificates = new CertificateStore(20);
  private final Cs2Transactions transactions;
  private final Cs2Firmware firmware;
  private final Cs2Monitoring monitoring;
  private final Cs2DisplayMessages display;
  // Guarded by this.
  boolean inoperative;
  String pendingAvailability;
  /** A Reset OnIdle waiting for the last transaction to end. */
  boolean resetPending;
  private int seqNo;
  volatile boolean remoteStartPlugsIn;

  private ChargingStation(OcppClient client, StationProfile profile) {
    super(client, profile, List.of(OcppVersion.V2_0_1, OcppVersion.V2_1));
    List<StationProfile.Evse> specs = profile.evses();
    evses = new Cs2Evse[specs.size()];
    for (int i = 0; i < evses.length; i++) {
      evses[i] = new Cs2Evse(i + 1, specs.get(i), profile);
    }
    model = new Cs2DeviceModel(this);
    transactions = new Cs2Transactions(this);
    firmware = new Cs2Firmware(this);
    monitoring = new Cs2Monitoring(this);
    display = new Cs2DisplayMessages(this);
  }

  /**
   * A station on {@code client}, which must offer OCPP 2.0.1 or 2.1; registers its handlers on
   * the client for both. Call {@link #start()} to connect and boot.
   *
   * @throws IllegalArgumentException when the client offers neither version
   */
  public static ChargingStation create(OcppClient client, StationProfile profile) {
    ChargingStation s = new ChargingStation(client, profile);
    new Cs2Reports(s).register();
    new Cs2OperationsControl(s).register();
    new Cs2OperationsAuth(s).register();
    new Cs2OperationsSmart(s).register();
    s.firmware.register();
    s.monitoring.register();
    s.display.register();
    new Cs2Operations21(s).register();
    return s;
  }

  // ---- public queries

  /** The Actual value of a station-level variable ({@code OCPPCommCtrlr}, {@code HeartbeatInterval}), or null if unknown. */
  public String variable(String component, String variable) {
    synchronized (this) {
      return model.value(component, variable, null);
    }
  }

  /** The number of EVSEs. */
  public int evseCount() {
    return evses.length;
  }

  @Override
  public String transactionId(int location) {
    synchronized (this) {
      Cs2Evse e = evse(location);
      return e.tx == null ? null : e.tx.id;
    }
  }

  @Override
  public String status(int location) {
    synchronized (this) {
      if (location == 0) {
        return inoperative ? "Unavailable" : "Available";
      }
      return evse(location).status(1, inoperative);
    }
  }

  @Override
  public double meterWh(int location) {
    synchronized (this) {
      return evse(location).meter.energyWh();
    }
  }

  // ---- events

  @Override
  public CompletableFuture<Void> plugIn(int location) {
    Cs2Evse e = checked(location);
    return enqueue("plug in at EVSE " + location, () -> transactions.plugIn(e));
  }

  @Override
  public CompletableFuture<Void> presentToken(int location, IdToken token) {
    Cs2Evse e = checked(location);
    java.util.Objects.requireNonNull(token, "token");
    return enqueue("token at EVSE " + location, () -> transactions.presentToken(e, token));
  }

  @Override
  public void remoteStartPlugsIn(boolean plugsIn) {
    remoteStartPlugsIn = plugsIn;
  }

  @Override
  public CompletableFuture<Void> unplug(int location) {
    Cs2Evse e = checked(location);
    return enqueue("unplug at EVSE " + location, () -> transactions.unplug(e));
  }

  @Override
  public CompletableFuture<Void> suspendByEv(int location, boolean suspended) {
    Cs2Evse e = checked(location);
    return enqueue("EV suspends at EVSE " + location, () -> transactions.suspendByEv(e, suspended));
  }

  @Override
  public CompletableFuture<Void> fault(int location, String errorCode) {
    Cs2Evse e = checked(location);
    return enqueue("fault at EVSE " + location, () -> transactions.fault(e, true));
  }

  @Override
  public CompletableFuture<Void> clearFault(int location) {
    Cs2Evse e = checked(location);
    return enqueue("fault cleared at EVSE " + location, () -> transactions.fault(e, false));
  }

  @Override
  public CompletableFuture<Void> sampleMeter(int location) {
    Cs2Evse e = checked(location);
    return enqueue("meter sample at EVSE " + location, () -> transactions.sample(e));
  }

  // ---- AbstractStation hooks

  @Override
  Object bootNotification(String reason) {
    ObjectNode station = object().put("model", profile.model()).put("vendorName", profile.vendor())
        .put("firmwareVersion", firmwareVersion());
    if (profile.serialNumber() != null) {
      station.put("serialNumber", profile.serialNumber());
    }
    ObjectNode boot = object();
    boot.set("chargingStation", station);
    return boot.put("reason", reason);
  }

  @Override
  CompletableFuture<Void> announce(boolean afterBoot) {
    List<ObjectNode> all = new ArrayList<>();
    synchronized (this) {
      for (Cs2Evse e : evses) {
        for (int c = 1; c <= e.connectors; c++) {
          e.reported[c - 1] = e.status(c, inoperative);
          all.add(statusNotification(e.id, c, e.reported[c - 1]));
        }
      }
    }
    return sendAll("StatusNotification", all)
        .thenRun(transactions::rearmAligned)
        .thenCompose(v -> afterBoot ? firmware.afterBoot() : DONE);
  }

  @Override
  CompletableFuture<Void> stopAllTransactions(String reason) {
    CompletableFuture<Void> chain = DONE;
    for (Cs2Evse e : evses) {
      chain = chain.thenCompose(v -> transactions.end(e, "ResetCommand", reason));
    }
    return chain;
  }

  @Override
  void cancelTimers() {
    transactions.cancelTimers();
    firmware.cancelTimers();
  }

  // ---- state shared with the operation classes

  synchronized Cs2DeviceModel model() {
    return model;
  }

  LocalAuthorization auth() {
    return auth;
  }

  ChargingProfiles profiles() {
    return profiles;
  }

  CertificateStore certificates() {
    return certificates;
  }

  Cs2Transactions transactions() {
    return transactions;
  }

  Cs2Monitoring monitoring() {
    return monitoring;
  }

  Cs2Firmware firmware() {
    return firmware;
  }

  Cs2DisplayMessages display() {
    return display;
  }

  String firmwareVersion() {
    return firmware.version();
  }

  /** Whether the negotiated version is 2.1. */
  boolean v21() {
    return client.protocol() == OcppVersion.V2_1;
  }

  /** The EVSE {@code id}, or null. Call under the lock. */
  Cs2Evse evseOrNull(int id) {
    return id >= 1 && id <= evses.length ? evses[id - 1] : null;
  }

  private Cs2Evse evse(int id) {
    Cs2Evse e = evseOrNull(id);
    if (e == null) {
      throw new IllegalArgumentException("no EVSE " + id + " (the station has " + evses.length + ")");
    }
    return e;
  }

  private Cs2Evse checked(int location) {
    synchronized (this) {
      return evse(location);
    }
  }

  /**
   * After a transaction ended: a ChangeAvailability that was Scheduled applies (G03.FR.05), a
   * Reset OnIdle runs once the last one is over (B12.FR.03), then statuses go out.
   */
  CompletableFuture<Void> transactionsEnded() {
    boolean reset = false;
    synchronized (this) {
      boolean any = false;
      for (Cs2Evse e : evses) {
        if (e.tx != null) {
          any = true;
          continue;
        }
        if (e.pending != null) {
          e.inoperative = e.pending.equals("Inoperative");
          e.pending = null;
        }
        for (int c = 0; c < e.connectors; c++) {
          if (e.pendingConnector[c] != null) {
            e.connectorInoperative[c] = e.pendingConnector[c].equals("Inoperative");
            e.pendingConnector[c] = null;
          }
        }
      }
      if (!any && pendingAvailability != null) {
        inoperative = pendingAvailability.equals("Inoperative");
        pendingAvailability = null;
      }
      if (!any && resetPending) {
        resetPending = false;
        reset = true;
      }
    }
    if (reset) {
      // Queued after the step in hand: the reboot waits for this step's messages.
      reboot("OnIdle", "ImmediateReset", "RemoteReset").exceptionally(x -> null);
    }
    return reportStatuses();
  }

  synchronized boolean anyTransaction() {
    for (Cs2Evse e : evses) {
      if (e.tx != null) {
        return true;
      }
    }
    return false;
  }

  synchronized int nextSeqNo() {
    return seqNo++;
  }

  synchronized boolean faultedAt(Cs2DeviceModel.Loc at) {
    if (at.evse() == 0) {
      for (Cs2Evse e : evses) {
        if (!e.faulted) {
          return false;
        }
      }
      return true;
    }
    return evses[at.evse() - 1].faulted;
  }

  synchronized String availabilityState(Cs2DeviceModel.Loc at) {
    if (at.evse() == 0) {
      return inoperative ? "Unavailable" : "Available";
    }
    Cs2Evse e = evses[at.evse() - 1];
    if (at.connector() == 0) {
      return e.faulted ? "Faulted" : e.busy() ? "Occupied" : e.inoperative || inoperative ? "Unavailable"
          : e.reservation != null ? "Reserved" : "Available";
    }
    return e.status(at.connector(), inoperative);
  }

  synchronized double powerW(int evse) {
    return evses[evse - 1].meter.powerW();
  }

  /**
   * Sends a StatusNotification for every connector whose status changed since the last one (G01:
   * on each change), in EVSE and connector order.
   */
  CompletableFuture<Void> reportStatuses() {
    List<ObjectNode> changes = new ArrayList<>();
    List<int[]> where = new ArrayList<>();
    synchronized (this) {
      for (Cs2Evse e : evses) {
        for (int c = 1; c <= e.connectors; c++) {
          String now = e.status(c, inoperative);
          if (!now.equals(e.reported[c - 1])) {
            e.reported[c - 1] = now;
            changes.add(statusNotification(e.id, c, now));
            where.add(new int[] {e.id, c});
          }
        }
      }
    }
    for (int i = 0; i < changes.size(); i++) {
      int evse = where.get(i)[0];
      String st = changes.get(i).path("connectorStatus").asString();
      emit(l -> l.onStatus(evse, st));
    }
    return sendAll("StatusNotification", changes);
  }

  static ObjectNode statusNotification(int evse, int connector, String status) {
    return object().put("timestamp", timestamp()).put("connectorStatus", status)
        .put("evseId", evse).put("connectorId", connector);
  }

  /** Sends {@code payloads} one after another (each waits for the previous answer). */
  CompletableFuture<Void> sendAll(String action, List<? extends JsonNode> payloads) {
    CompletableFuture<Void> chain = DONE;
    for (JsonNode p : payloads) {
      chain = chain.thenCompose(v -> send(action, p).thenApply(a -> (Void) null));
    }
    return chain;
  }

  /** Sends {@code action} messages built page by page by {@code page} (0..pages-1), in order. */
  CompletableFuture<Void> sendPages(String action, int pages, Function<Integer, ObjectNode> page) {
    CompletableFuture<Void> chain = DONE;
    for (int i = 0; i < pages; i++) {
      int n = i;
      chain = chain.thenCompose(v -> send(action, page.apply(n)).thenApply(a -> (Void) null));
    }
    return chain;
  }

  // ---- JSON helpers shared by the Cs2 classes

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  static ObjectNode status(String status) {
    return object().put("status", status);
  }

  /** {@code {"status": s, "statusInfo": {"reasonCode": reason}}}. */
  static ObjectNode status(String status, String reasonCode, String info) {
    ObjectNode o = status(status);
    ObjectNode si = o.putObject("statusInfo").put("reasonCode", reasonCode);
    if (info != null) {
      si.put("additionalInfo", info.length() > 1024 ? info.substring(0, 1024) : info);
    }
    return o;
  }

  /** Now as RFC 3339 with seconds always written (OffsetDateTime.toString drops ":00"). */
  static String timestamp() {
    return timestamp(now());
  }

  static String timestamp(java.time.OffsetDateTime t) {
    return t.toInstant().toString();
  }

  static String round(double v) {
    return Double.toString(Math.round(v * 10) / 10.0);
  }

  /** A required integer field, or the CALLERROR a schema check would give. */
  static int requireInt(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field " + field);
    }
    if (!v.isIntegralNumber()) {
      throw new RpcException.TypeConstraintViolation(field + " must be an integer: " + v);
    }
    return v.asInt();
  }

  static String requireText(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field " + field);
    }
    if (!v.isString()) {
      throw new RpcException.TypeConstraintViolation(field + " must be a string: " + v);
    }
    return v.asString();
  }

  static JsonNode requireObject(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) {
      throw new RpcException.OccurrenceConstraintViolation("missing required field " + field);
    }
    if (!v.isObject() && !v.isArray()) {
      throw new RpcException.TypeConstraintViolation(field + " must be an object: " + v);
    }
    return v;
  }

  /** An IdTokenType from a request; CALLERROR when it lacks its fields. */
  static IdToken token(JsonNode idToken) {
    String value = requireText(idToken, "idToken");
    String type = requireText(idToken, "type");
    if (value.length() > 36) {
      return new IdToken(value.substring(0, 36), type);
    }
    return new IdToken(value, type);
  }

  static ObjectNode idToken(IdToken t) {
    return object().put("idToken", t.value()).put("type", t.type());
  }
}
