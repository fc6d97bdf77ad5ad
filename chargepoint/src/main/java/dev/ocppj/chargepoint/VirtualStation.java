package dev.ocppj.chargepoint;

import dev.ocppj.client.OcppClient;
import dev.ocppj.client.Registration;
import dev.ocppj.client.rpc.CallHandler;
import java.util.concurrent.CompletableFuture;

/**
 * A virtual charge point on an {@link OcppClient}: {@link ChargePoint} for OCPP 1.6,
 * {@link ChargingStation} for 2.0.1 and 2.1. It answers every operation a CSMS sends from its
 * state, sends what a real station sends (boot, status, heartbeats, transactions, meter values,
 * the notifications that follow a CSMS's request), and lets code drive it: the events below are
 * what a person or a car does to a station.
 *
 * <p>{@code location} is the 1.6 connector id or the 2.x EVSE id (its first connector), 1-based.
 * Every event returns a future that completes once the station has sent what the event makes it
 * send (or fails with the reason it could not, e.g. {@link IllegalStateException} for a connector
 * that is faulted); no future waits longer than the client's call timeout per message. Events and
 * the work CSMS requests cause run one at a time per station, in the order they were asked.
 */
public interface VirtualStation extends AutoCloseable {
  /** The client the station speaks through. */
  OcppClient client();

  /** The station's profile. */
  StationProfile profile();

  /**
   * Connects, sends BootNotification (again after the interval while the CSMS answers Pending
   * or Rejected, answering the CSMS's calls meanwhile as the spec allows), reports every
   * connector's status and starts heartbeats and clock-aligned meter values. Completes when the
   * boot was accepted and the statuses sent.
   */
  CompletableFuture<Void> start();

  /** A cable is plugged in at {@code location}; with a token already presented there, charging starts. */
  CompletableFuture<Void> plugIn(int location);

  /**
   * {@code token} is presented at {@code location}: authorized (local list, cache, or Authorize),
   * then charging starts if a cable is plugged in; presented again during its transaction, it
   * stops the transaction. A token that is not accepted fails the future with an
   * {@link IllegalStateException} whose message names the token and the status, e.g.
   * {@code "token 04A1B2C3D4E5F6 not authorized: Blocked"}, and starts nothing.
   */
  CompletableFuture<Void> presentToken(int location, IdToken token);

  /**
   * What a remote start (1.6 RemoteStartTransaction, 2.x RequestStartTransaction) does when no
   * cable is plugged in: false (the default, as a real station) waits up to the connection
   * timeout ({@code ConnectionTimeOut} / {@code EVConnectionTimeOut}) for {@link #plugIn}; true
   * plugs an EV in at once, for simulators that script remote starts only.
   */
  void remoteStartPlugsIn(boolean plugsIn);

  /** The cable is unplugged: a running transaction stops (EVDisconnected), the connector frees. */
  CompletableFuture<Void> unplug(int location);

  /**
   * The meter at {@code location} is sampled now, as at a MeterValueSampleInterval /
   * TxUpdatedInterval tick: 1.6 MeterValues (context Sample.Periodic, with the transactionId when
   * one runs), 2.x TransactionEvent Updated (triggerReason MeterValuePeriodic) during a
   * transaction, MeterValues otherwise. For scripts that want samples without waiting for the timer.
   */
  CompletableFuture<Void> sampleMeter(int location);

  /** Sends a Heartbeat now (the timer sends them every HeartbeatInterval anyway). */
  CompletableFuture<Void> heartbeat();

  /** The EV stops or resumes drawing power (SuspendedEV / Charging). */
  CompletableFuture<Void> suspendByEv(int location, boolean suspended);

  /** A fault at {@code location} ({@code errorCode} is the 1.6 ChargePointErrorCode, e.g. GroundFailure). */
  CompletableFuture<Void> fault(int location, String errorCode);

  /** The fault at {@code location} is gone. */
  CompletableFuture<Void> clearFault(int location);

  /** The network goes away: the connection closes and is not reopened; transactions go on. */
  CompletableFuture<Void> goOffline();

  /** The network is back: connects and reports what changed while off line. */
  CompletableFuture<Void> goOnline();

  /** The id of the transaction running at {@code location}, or null. */
  String transactionId(int location);

  /** The status last reported for {@code location} (0: the station under 1.6), e.g. {@code Charging}. */
  String status(int location);

  /** The energy the meter at {@code location} has counted, in Wh. */
  double meterWh(int location);

  /**
   * Answers {@code action} with {@code handler} instead of the model (the handler may still
   * call {@link #defaultAnswer}); undone by the returned registration.
   */
  Registration override(String action, CallHandler handler);

  /** What the model answers to {@code call}, with its state changes and follow-up messages. */
  Object defaultAnswer(dev.ocppj.client.rpc.IncomingCall call) throws Exception;

  /** Tells {@code listener} what the station does. */
  Registration addListener(StationListener listener);

  /** Completes once the work asked of the station so far (events, follow-ups of CSMS calls) is done. */
  CompletableFuture<Void> idle();

  /**
   * The station for {@code client}'s first offered version: a {@link ChargePoint} for OCPP 1.6,
   * a {@link ChargingStation} for 2.0.1 and 2.1. Registers its handlers and listener on the client.
   */
  static VirtualStation create(OcppClient client, StationProfile profile) {
    return client.options().protocols().get(0) == dev.ocppj.client.OcppVersion.V1_6
        ? ChargePoint.create(client, profile)
        : ChargingStation.create(client, profile);
  }

  /** Stops the station's timers and transactions (reason Local) and closes the client. */
  CompletableFuture<Void> stop();

  /** {@link #stop()}, waiting at most the client's close timeout. */
  @Override
  void close();
}
