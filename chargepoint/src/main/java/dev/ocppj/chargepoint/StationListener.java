package dev.ocppj.chargepoint;

/**
 * What a {@link VirtualStation} does, for test scripts and simulators. Called on the thread that
 * did it (never under the station's lock); a listener that throws is ignored.
 */
public interface StationListener {
  /** {@code location} (0: the station) reported {@code status}. */
  default void onStatus(int location, String status) {}

  /** A transaction started at {@code location}. */
  default void onTransactionStarted(int location, String transactionId, IdToken token) {}

  /** The transaction at {@code location} ended for {@code reason} (the version's spelling). */
  default void onTransactionEnded(int location, String transactionId, String reason) {}

  /** The station is going to reboot ({@code type}: Hard, Soft, Immediate, OnIdle). */
  default void onReboot(String type) {}

  /** A step the CSMS asked for failed (a follow-up message that was not answered). */
  default void onFailure(String what, Throwable error) {}
}
