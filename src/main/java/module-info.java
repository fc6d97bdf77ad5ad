/**
 * An OCPP-J charge-point client: connects to a CSMS over WebSocket and exchanges OCPP 1.6, 2.0.1
 * and 2.1 messages. The API is {@code dev.ocppj.client} and {@code dev.ocppj.client.rpc}; the
 * {@code internal} packages are not exported.
 */
module dev.ocppj.client {
  requires transitive tools.jackson.databind;
  requires org.java_websocket;
  requires org.slf4j;

  exports dev.ocppj.client;
  exports dev.ocppj.client.rpc;
}
