package dev.ocppj.testkit;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;

/**
 * One charge point's connection to the test CSMS, seen from the CSMS: send it calls and raw
 * frames, close or drop it, stop answering its pings. Thread-safe.
 */
public final class ChargePoint {
  private final TestCsms csms;
  private final WebSocket socket;
  private final String identity;
  private final String protocol;
  private final Map<String, String> headers;
  private final Map<String, CompletableFuture<Frame>> calls = new ConcurrentHashMap<>();
  private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
  final AtomicInteger pingsReceived = new AtomicInteger();
  final AtomicInteger pongsReceived = new AtomicInteger();
  volatile boolean silent;

  ChargePoint(TestCsms csms, WebSocket socket, String identity, String protocol, Map<String, String> headers) {
    this.csms = csms;
    this.socket = socket;
    this.identity = identity;
    this.protocol = protocol;
    this.headers = Map.copyOf(headers);
  }

  /** The identity: the last path segment of the URL it connected to, percent-decoded. */
  public String identity() {
    return identity;
  }

  /** The request path and query as received, for example {@code /ocpp/CP%201?token=x}. */
  public String resource() {
    return socket.getResourceDescriptor();
  }

  /** The subprotocol the CSMS selected, for example {@code ocpp1.6} ("" for none). */
  public String protocol() {
    return protocol;
  }

  /**
   * The subject of the certificate the charge point authenticated with (mutual TLS), for example
   * {@code CN=CP3}; null without TLS or without a client certificate.
   */
  public String clientCertificateSubject() {
    return csms.clientCertificateSubject(socket.getRemoteSocketAddress());
  }

  /** The upgrade request's headers, names in lower case. */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Sends a CALL and returns the charge point's answer frame (a CALLRESULT or CALLERROR); fails
   * with a {@code TimeoutException} after {@link TestCsms#WAIT}.
   */
  public CompletableFuture<Frame> call(String action, Object params) {
    String id = csms.nextServerId();
    CompletableFuture<Frame> f = new CompletableFuture<>();
    calls.put(id, f);
    try {
      send(TestCsms.encodeCall(id, action, params));
    } catch (RuntimeException e) { // not connected any more
      f.completeExceptionally(new IllegalStateException(action + " not sent to " + identity + ": " + e, e));
    }
    return f.orTimeout(TestCsms.WAIT.toSeconds(), TimeUnit.SECONDS).whenComplete((r, e) -> calls.remove(id));
  }

  /** Sends a raw text frame, also a malformed one. */
  public void sendRaw(String text) {
    send(text);
  }

  void send(String text) {
    csms.recordSent(this, text);
    socket.send(text);
  }

  /** Pings the charge point. */
  public void ping() {
    socket.sendPing();
  }

  /** Pings the charge point has sent. */
  public int pingsReceived() {
    return pingsReceived.get();
  }

  /** Pongs the charge point has sent (answers to {@link #ping()}). */
  public int pongsReceived() {
    return pongsReceived.get();
  }

  /** Stops answering the charge point's pings, as a dead link would. */
  public void stopAnsweringPings() {
    silent = true;
  }

  /** Closes with a close frame carrying {@code code} and {@code reason}. */
  public void close(int code, String reason) {
    socket.close(code, reason);
  }

  /** Drops the TCP connection without a close frame, as a failed network would. */
  public void drop() {
    socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by test");
  }

  /** True while the connection is open. */
  public boolean isOpen() {
    return socket.isOpen();
  }

  /** Completes when this connection closes, with what the CSMS saw. */
  public CompletableFuture<CloseInfo> closed() {
    return closed;
  }

  void onClosed(CloseInfo info) {
    closed.complete(info);
    for (CompletableFuture<Frame> f : calls.values()) {
      f.completeExceptionally(new IllegalStateException(identity + " disconnected: " + info));
    }
  }

  /** Completes a call of ours if {@code frame} answers one. */
  boolean answers(Frame frame) {
    int t = frame.messageType();
    if (t != 3 && t != 4 || frame.messageId() == null) {
      return false;
    }
    CompletableFuture<Frame> f = calls.remove(frame.messageId());
    if (f == null) {
      return false;
    }
    f.complete(frame);
    return true;
  }

  @Override
  public String toString() {
    return "ChargePoint{" + identity + ", " + protocol + "}";
  }
}
