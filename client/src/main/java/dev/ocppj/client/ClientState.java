package dev.ocppj.client;

/** The state of a client's connection, as {@link OcppClient#state()} reports it. */
public enum ClientState {
  /** A connect attempt is under way (also while waiting to reconnect). */
  CONNECTING,
  /** The WebSocket is open and calls flow. */
  OPEN,
  /** {@code close()} is under way: waiting for in-flight calls or for the close handshake. */
  CLOSING,
  /** Not connected; {@link OcppClient#connect()} may be called. */
  CLOSED
}
