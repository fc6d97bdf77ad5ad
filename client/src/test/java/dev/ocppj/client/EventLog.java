package dev.ocppj.client;

import dev.ocppj.client.rpc.IncomingCall;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A listener that records every event as one line of text, for assertions on the test thread.
 * Lines: {@code connecting <url>}, {@code open <protocol>}, {@code disconnect <code> <reason>},
 * {@code close <code> <reason>}, {@code error <message>}, {@code message IN|OUT <text>}, {@code
 * call <action> <id>}, {@code callResult IN|OUT <action> <id>}, {@code callError IN|OUT <code>
 * <id>}, {@code badMessage <error> | <raw>}.
 */
final class EventLog implements ClientListener {
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  private synchronized void add(String line) {
    all.add(line);
    threads.add(Thread.currentThread());
    queue.add(line);
  }

  /** Every event so far. */
  synchronized List<String> all() {
    return new ArrayList<>(all);
  }

  /** The threads events were delivered on. */
  synchronized List<Thread> threads() {
    return new ArrayList<>(threads);
  }

  /** Takes events until one matches, failing after 10 s; returns it. */
  String await(Predicate<String> match) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> skipped = new ArrayList<>();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("no matching event within 10 s; saw " + skipped);
        }
        if (match.test(e)) {
          return e;
        }
        skipped.add(e);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** Takes events until one starts with {@code prefix}. */
  String await(String prefix) {
    return await(e -> e.startsWith(prefix));
  }

  /** Fails if an event starting with {@code prefix} is already recorded. */
  synchronized void assertNone(String prefix) {
    for (String e : all) {
      if (e.startsWith(prefix)) {
        throw new AssertionError("unexpected event: " + e);
      }
    }
  }

  @Override
  public void onConnecting(URI url) {
    add("connecting " + url);
  }

  @Override
  public void onOpen(OpenEvent event) {
    add("open " + event.protocol());
  }

  @Override
  public void onDisconnect(CloseEvent event) {
    add("disconnect " + event.code() + " " + event.reason());
  }

  @Override
  public void onClose(CloseEvent event) {
    add("close " + event.code() + " " + event.reason());
  }

  @Override
  public void onReconnect(ReconnectEvent event) {
    add("reconnect " + event.attempt() + " " + event.delay());
  }

  @Override
  public void onPing(OpenEvent connection) {
    add("ping");
  }

  @Override
  public void onPong(OpenEvent connection) {
    add("pong");
  }

  @Override
  public void onPongTimeout(OpenEvent connection) {
    add("pongTimeout");
  }

  @Override
  public void onError(Throwable error) {
    add("error " + error.getMessage());
  }

  @Override
  public void onMessage(MessageEvent event) {
    add("message " + event.direction() + " " + event.text());
  }

  @Override
  public void onCall(IncomingCall call) {
    add("call " + call.action() + " " + call.messageId());
  }

  @Override
  public void onCallResult(ResultEvent event) {
    add("callResult " + event.direction() + " " + event.action() + " " + event.messageId());
  }

  @Override
  public void onCallError(CallErrorEvent event) {
    add("callError " + event.direction() + " " + event.error().wireCode() + " " + event.messageId());
  }

  @Override
  public void onBadMessage(BadMessageEvent event) {
    add("badMessage " + event.error().getMessage() + " | " + event.message());
  }
}
