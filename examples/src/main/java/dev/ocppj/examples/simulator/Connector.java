package dev.ocppj.examples.simulator;

/** One connector (1.6) or EVSE (2.x): its state, its meter and its transaction. Guarded by the charge point. */
final class Connector {
  /** What a connector is doing; each version spells it on the wire in its own way. */
  enum State {
    AVAILABLE,
    PREPARING,
    CHARGING,
    FINISHING,
    UNAVAILABLE
  }

  final int id;
  State state = State.AVAILABLE;
  /** The status last reported on the wire, so that a change the version cannot see is not sent. */
  String reported;
  boolean inoperative;
  long meterWh;
  Transaction transaction;

  Connector(int id, long meterWh) {
    this.id = id;
    this.meterWh = meterWh;
  }
}
