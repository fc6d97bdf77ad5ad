package dev.ocppj.client.internal.router;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Registration;
import dev.ocppj.client.rpc.CallHandler;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds the handler for an incoming CALL: the one registered for the negotiated version and the
 * action, else the one for the action, else the wildcard. Thread-safe; registering a second
 * handler for a key fails.
 */
public final class HandlerRouter {
  private final ConcurrentHashMap<Key, CallHandler> handlers = new ConcurrentHashMap<>();
  private final AtomicReference<CallHandler> wildcard = new AtomicReference<>();

  /** A handler's key: an action, and a version or null for every version. */
  private record Key(OcppVersion version, String action) {}

  /**
   * Registers {@code handler} for {@code action} under {@code version} (null for any version).
   *
   * @throws IllegalStateException if that key already has a handler
   */
  public Registration register(OcppVersion version, String action, CallHandler handler) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(handler, "handler");
    if (action.isEmpty()) {
      throw new IllegalArgumentException("action must not be empty");
    }
    Key key = new Key(version, action);
    if (handlers.putIfAbsent(key, handler) != null) {
      throw new IllegalStateException(
          "a handler for " + action + (version == null ? "" : " under " + version)
              + " is already registered; remove it first");
    }
    return () -> handlers.remove(key, handler);
  }

  /**
   * Registers the wildcard handler, which gets every CALL that no other handler takes.
   *
   * @throws IllegalStateException if a wildcard handler is already registered
   */
  public Registration registerWildcard(CallHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (!wildcard.compareAndSet(null, handler)) {
      throw new IllegalStateException("a wildcard handler is already registered; remove it first");
    }
    return () -> wildcard.compareAndSet(handler, null);
  }

  /** Removes the handler for {@code action} under {@code version} (null: the generic one). */
  public boolean remove(OcppVersion version, String action) {
    return handlers.remove(new Key(version, Objects.requireNonNull(action, "action"))) != null;
  }

  /** Removes the wildcard handler. */
  public boolean removeWildcard() {
    return wildcard.getAndSet(null) != null;
  }

  /** Removes every handler, the wildcard included. */
  public void clear() {
    handlers.clear();
    wildcard.set(null);
  }

  /** The handler for {@code action} on a connection speaking {@code version}, or null. */
  public CallHandler find(OcppVersion version, String action) {
    CallHandler h = handlers.get(new Key(version, action));
    if (h == null) {
      h = handlers.get(new Key(null, action));
    }
    return h != null ? h : wildcard.get();
  }
}
