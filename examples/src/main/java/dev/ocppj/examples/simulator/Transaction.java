package dev.ocppj.examples.simulator;

/** A charging session on one connector. Guarded by the charge point. */
final class Transaction {
  /** Why a transaction ends; each version spells it in its own way. */
  enum StopReason {
    LOCAL,
    REMOTE,
    UNLOCK,
    SOFT_RESET,
    HARD_RESET
  }

  final Connector connector;
  final String idTag;
  /** 2.x: the idToken's type, as the CSMS or the reader gave it. */
  final String tokenType;
  /** The CSMS's remoteStartId (2.x) for a remotely started transaction, or null. */
  final Integer remoteStartId;
  final boolean remote;
  final long meterStartWh;
  /** 1.6: the CSMS assigns it in the StartTransaction answer; 2.x: the charge point does. */
  volatile String id;
  /** 2.x: TransactionEvent sequence number. */
  int seqNo;
  /** Set once something started to stop it, so that it is stopped once. */
  boolean stopping;

  Transaction(
      Connector connector, String idTag, String tokenType, boolean remote, Integer remoteStartId, String id) {
    this.connector = connector;
    this.idTag = idTag;
    this.tokenType = tokenType;
    this.remote = remote;
    this.remoteStartId = remoteStartId;
    this.meterStartWh = connector.meterWh;
    this.id = id;
  }
}
