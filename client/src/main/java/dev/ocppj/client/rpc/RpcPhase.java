package dev.ocppj.client.rpc;

/** Where in an exchange a {@link Middleware} runs. */
public enum RpcPhase {
  /**
   * A CALL this client makes. {@code proceed} sends it and completes with the result payload, or
   * fails with the call's error; it runs on the thread that called {@code call(...)}.
   */
  OUTGOING_CALL(Direction.OUT),
  /**
   * A CALL from the CSMS. {@code proceed} runs the handler and completes with its result (null
   * for no reply), or fails with its error, which becomes the CALLERROR.
   */
  INCOMING_CALL(Direction.IN),
  /**
   * A CALLRESULT for one of this client's calls. {@code proceed} completes with the payload; what
   * the chain completes with is what the call's future gets.
   */
  INCOMING_RESULT(Direction.IN),
  /**
   * A CALLERROR for one of this client's calls, in {@link RpcContext#error()}. {@code proceed}
   * fails with the error; the chain's outcome is the call's outcome.
   */
  INCOMING_ERROR(Direction.IN),
  /**
   * The CALLRESULT this client is about to send. {@code proceed} sends {@link RpcContext#params()};
   * a middleware that does not proceed suppresses the reply.
   */
  OUTGOING_RESULT(Direction.OUT),
  /**
   * The CALLERROR this client is about to send, in {@link RpcContext#error()}. {@code proceed}
   * sends it; a middleware that does not proceed suppresses the reply.
   */
  OUTGOING_ERROR(Direction.OUT);

  private final Direction direction;

  RpcPhase(Direction direction) {
    this.direction = direction;
  }

  /** The direction of the message this phase handles. */
  public Direction direction() {
    return direction;
  }
}
