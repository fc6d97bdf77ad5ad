package dev.ocppj.chargepoint;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.node.ObjectNode;

/**
 * A virtual OCPP 1.6 charge point (edition 2, with the security whitepaper edition 3): answers
 * every operation of the feature profiles its {@link StationProfile} supports from its state
 * (connectors, transactions, configuration keys, local list and cache, reservations, charging
 * profiles, certificates, firmware and diagnostics) and sends what a real one sends.
 *
 * <pre>{@code
 * OcppClient client = OcppClient.builder(csms, "CP-1").protocols(OcppVersion.V1_6).build();
 * ChargePoint cp = ChargePoint.create(client, StationProfile.builder("VendorX", "ModelY").connectors(2).build());
 * cp.start().join();                                  // BootNotification, StatusNotification x3
 * cp.plugIn(1).join();                                // Preparing
 * cp.presentToken(1, IdToken.iso14443()).join();      // Authorize, StartTransaction, Charging
 * }</pre>
 *
 * <p>Thread-safe; one timer thread serves every station in the JVM, so thousands fit in one.
 */
public final class ChargePoint extends AbstractStation {
  /** Local list capacity and authorization cache size (LocalAuthListMaxLength). */
  static final int LIST_MAX_LENGTH = 10_000;
  static final int CACHE_MAX_ENTRIES = 1_000;
  static final int CERTIFICATE_CAPACITY = 20;

  final Cp16Connector[] connectors;
  final Cp16Configuration config;
  final LocalAuthorization auth = new LocalAuthorization(LIST_MAX_LENGTH, CACHE_MAX_ENTRIES);
  final ChargingProfiles profiles = new ChargingProfiles();
  final CertificateStore certificates = new CertificateStore(CERTIFICATE_CAPACITY);
  final Cp16Authorization authorization = new Cp16Authorization(this);
  final Cp16Transactions sessions;
  final Cp16Meters meters;
  final Cp16Firmware firmware;
  volatile boolean remoteStartPlugsIn;
  String firmwareVersion; // guarded by this

  private ChargePoint(OcppClient client, StationProfile profile) {
    super(client, profile, List.of(OcppVersion.V1_6));
    List<StationProfile.Evse> evses = profile.evses();
    connectors = new Cp16Connector[evses.size() + 1];
    connectors[0] = new Cp16Connector(0, null, profile);
    for (int i = 1; i < connectors.length; i++) {
      connectors[i] = new Cp16Connector(i, evses.get(i - 1), profile);
    }
    config = new Cp16Configuration(profile, LIST_MAX_LENGTH, CERTIFICATE_CAPACITY, client.options().security().profile());
    firmwareVersion = profile.firmwareVersion();
    sessions = new Cp16Transactions(this);
    meters = new Cp16Meters(this);
    firmware = new Cp16Firmware(this);
  }

  /**
   * A charge point on {@code client}, which must offer OCPP 1.6; registers the handlers of every
   * 1.6 operation (those of an unsupported feature answer NotSupported). Call {@link #start()}.
   *
   * @throws IllegalArgumentException if the client does not offer 1.6
   */
  public static ChargePoint create(OcppClient client, StationProfile profile) {
    ChargePoint cp = new ChargePoint(client, profile);
    new Cp16OperationsCore(cp).register();
    new Cp16OperationsFeatures(cp).register();
    new Cp16OperationsSecurity(cp).register();
    return cp;
  }

  // ---- events

  @Override
  public CompletableFuture<Void> plugIn(int location) {
    return sessions.plugIn(location);
  }

  @Override
  public CompletableFuture<Void> presentToken(int location, IdToken token) {
    return sessions.presentToken(location, token);
  }

  @Override
  public void remoteStartPlugsIn(boolean plugsIn) {
    remoteStartPlugsIn = plugsIn;
  }

  @Override
  public CompletableFuture<Void> unplug(int location) {
    return sessions.unplug(location);
  }

  @Override
  public CompletableFuture<Void> sampleMeter(int location) {
    return enqueue("sampleMeter " + location, () -> {
      Cp16Connector c;
      synchronized (this) {
        c = sessions.requireConnector(location);
      }
      return meters.sampleNow(c);
    });
  }

  @Override
  public CompletableFuture<Void> suspendByEv(int location, boolean suspended) {
    return sessions.suspendByEv(location, suspended);
  }

  @Override
  public CompletableFuture<Void> fault(int location, String errorCode) {
    return sessions.fault(location, errorCode);
  }

  @Override
  public CompletableFuture<Void> clearFault(int location) {
    return sessions.clearFault(location);
  }

  // ---- queries

  @Override
  public synchronized String transactionId(int location) {
    Cp16Connector c = connector(location);
    return c == null || c.tx == null ? null : c.tx.id;
  }

  @Override
  public synchronized String status(int location) {
    Cp16Connector c = connector(location);
    return c == null ? null : c.status(connectors[0].inoperative);
  }

  @Override
  public synchronized double meterWh(int location) {
    Cp16Connector c = connector(location);
    return c == null || c.meter == null ? 0 : c.meter.energyWh();
  }

  /** The value of configuration key {@code key}, or null when unknown (or write-only, as AuthorizationKey). */
  public synchronized String configuration(String key) {
    return config.value(key);
  }

  /** Every readable configuration key and its value, in the order GetConfiguration lists them. */
  public synchronized Map<String, String> configuration() {
    Map<String, String> all = new LinkedHashMap<>();
    for (Cp16Configuration.Key k : config.keys()) {
      if (!k.writeOnly) {
        all.put(k.name, k.value);
      }
    }
    return all;
  }

  /** The local authorization list's version (0: no list). */
  public synchronized int localListVersion() {
    return auth.version();
  }

  /** The types of the certificates installed (CentralSystemRootCertificate, ChargePointCertificate, ...). */
  public synchronized List<String> installedCertificateTypes() {
    return certificates.installed(List.of()).stream().map(CertificateStore.Installed::type).toList();
  }

  /** The firmware version the next BootNotification reports (changes after an UpdateFirmware). */
  public synchronized String firmwareVersion() {
    return firmwareVersion;
  }

  // ---- package-private helpers

  /** Connector {@code id} (0: the station), or null when there is none. */
  Cp16Connector connector(int id) {
    return id >= 0 && id < connectors.length ? connectors[id] : null;
  }

  int connectorCount() {
    return connectors.length - 1;
  }

  /** A follow-up's failure, for listeners. */
  void failed(String what, Throwable error) {
    emit(l -> l.onFailure(what, Work.unwrap(error)));
  }

  // ---- AbstractStation hooks

  @Override
  synchronized Object bootNotification(String reason) {
    ObjectNode boot = StationJson.object()
        .put("chargePointVendor", profile.vendor())
        .put("chargePointModel", profile.model())
        .put("firmwareVersion", firmwareVersion);
    if (profile.serialNumber() != null) {
      boot.put("chargePointSerialNumber", profile.serialNumber());
    }
    if (profile.meterType() != null) {
      boot.put("meterType", profile.meterType());
    }
    return boot;
  }

  @Override
  CompletableFuture<Void> announce(boolean afterBoot) {
    // Section 4.2 / 4.9: after boot every connector's status, connector 0 included; after a
    // reconnect only what changed (or could not be sent) while off line.
    return sessions.report(afterBoot)
        .thenRun(meters::armAligned)
        .thenCompose(v -> afterBoot ? firmware.afterBoot() : DONE);
  }

  @Override
  CompletableFuture<Void> stopAllTransactions(String reason) {
    return sessions.stopAll(reason);
  }

  @Override
  void cancelTimers() {
    meters.cancelAligned();
    synchronized (this) {
      for (Cp16Connector c : connectors) {
        c.cancelSampler();
        c.cancelConnectionTimer();
        c.authorizedTag = null;
        c.remoteProfile = null;
        if (stopped()) {
          c.dropReservation();
        }
      }
    }
    if (stopped()) {
      firmware.cancel();
    }
  }
}
