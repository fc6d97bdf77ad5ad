package dev.ocppj.client;

/**
 * The WebSocket engine a client connects with; see {@link OptionsBuilder#transport(Transport)}.
 * Both do everything the client needs (subprotocols, headers, Basic auth, TLS and mutual TLS,
 * pings, close codes, the limits); they differ in threads.
 */
public enum Transport {
  /**
   * Netty, non-blocking: every client in the JVM shares one event-loop group of about one thread
   * per core ({@code ocpp-io-*}), native epoll on Linux, NIO elsewhere. The default: threads stay
   * flat as clients grow.
   */
  NETTY,
  /**
   * Java-WebSocket, blocking I/O: two threads per open connection (a read and a write thread).
   */
  JAVA_WEBSOCKET
}
