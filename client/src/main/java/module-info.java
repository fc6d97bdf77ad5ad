/**
 * An OCPP-J charge-point client: connects to a CSMS over WebSocket and exchanges OCPP 1.6, 2.0.1
 * and 2.1 messages. The API is {@code dev.ocppj.client}, {@code dev.ocppj.client.rpc} and the
 * generated message packages {@code v16}, {@code v201} and {@code v21}; the {@code internal}
 * packages are not exported.
 */
module dev.ocppj.client {
  requires transitive tools.jackson.databind;
  requires org.java_websocket;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires org.slf4j;
  requires com.networknt.schema;

  exports dev.ocppj.client;
  exports dev.ocppj.client.rpc;
  exports dev.ocppj.client.store;
  exports dev.ocppj.client.v16;
  exports dev.ocppj.client.v201;
  exports dev.ocppj.client.v21;

  // Jackson binds the generated messages through their private fields.
  opens dev.ocppj.client.v16 to tools.jackson.databind;
  opens dev.ocppj.client.v201 to tools.jackson.databind;
  opens dev.ocppj.client.v21 to tools.jackson.databind;
}
