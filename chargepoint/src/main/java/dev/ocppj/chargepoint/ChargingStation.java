package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
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

  final Cs2Evse[] evses;
  private final Cs2DeviceModel model;
  private final LocalAuthorization auth = new LocalAuthorization(LIST_ENTRIES, CACHE_ENTRIES);
  private final ChargingProfiles profiles = new ChargingProfiles();
  private final CertificateStore certificates = new CertificateStore(20);
  private final Cs2Transactions transactions;
  private final Cs2TransactionEvents transactionEvents;
  private final Cs2MeterValues meterValues;
  private final Cs2Status statuses;
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
    transactionEvents = new Cs2TransactionEvents(this);
    meterValues = new Cs2MeterValues(this);
    statuses = new Cs2Status(this);
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
    return enqueue("meter sample at EVSE " + location, () -> meterValues.sample(e));
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
    // A StatusNotification that fails must not leave aligned values or Installed unsent.
    return sendAll("StatusNotification", statuses.all())
        .handle((v, x) -> {
          if (x != null) {
            emit(l -> l.onFailure("StatusNotification after boot", Work.unwrap(x)));
          }
          return null;
        })
        .thenRun(meterValues::rearmAligned)
        .thenCompose(v -> afterBoot ? firmware.afterBoot() : DONE);
  }

  @Override
  CompletableFuture<Void> stopAllTransactions(String reason) {
    CompletableFuture<Void> chain = DONE;
    for (Cs2Evse e : evses) {
      // Each EVSE's transaction ends even if an earlier one's messages failed.
      chain = chain.thenCompose(v -> transactions.end(e, "ResetCommand", reason).exceptionally(x -> null));
    }
    return chain;
  }

  @Override
  void cancelTimers() {
    meterValues.cancelTimers();
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

  Cs2TransactionEvents transactionEvents() {
    return transactionEvents;
  }

  Cs2MeterValues meterValues() {
    return meterValues;
  }

  Cs2Status statuses() {
    return statuses;
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
   * After a transaction ended: a ChangeAvailability that was Scheduled applies, a Reset OnIdle
   * runs once the last one is over, then statuses go out ({@link Cs2Status#transactionsEnded()}).
   */
  CompletableFuture<Void> transactionsEnded() {
    return statuses.transactionsEnded();
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

  synchronized double powerW(int evse) {
    return evses[evse - 1].meter.powerW();
  }

  /** Sends a StatusNotification for every connector whose status changed since the last one. */
  CompletableFuture<Void> reportStatuses() {
    return statuses.report();
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
}
