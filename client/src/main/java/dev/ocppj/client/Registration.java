package dev.ocppj.client;

/** Undoes one registration (a handler, listener or middleware). Idempotent. */
@FunctionalInterface
public interface Registration {
  /** Removes what was registered; does nothing if it is already gone. */
  void remove();
}
