package dev.ocppj.client.rpc;

/** Whether a message travels from the CSMS to this client or the other way. */
public enum Direction {
  /** From the CSMS to this client. */
  IN,
  /** From this client to the CSMS. */
  OUT
}
