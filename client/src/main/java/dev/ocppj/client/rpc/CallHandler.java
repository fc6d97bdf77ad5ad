package dev.ocppj.client.rpc;

/**
 * Answers a CALL that the CSMS sent.
 *
 * <p>Runs on the client's callback executor, never on the connection's read thread, so it may
 * block; it may even call the client and wait for that answer. It returns one of:
 *
 * <ul>
 *   <li>the result payload: a {@code JsonNode} object, a {@code Map}, or any object Jackson
 *       serialises to a JSON object; it goes out as the CALLRESULT;
 *   <li>a {@code CompletionStage} of such a payload, answered when it completes;
 *   <li>{@link #NO_REPLY}, to send no answer at all.
 * </ul>
 *
 * <p>To answer with a CALLERROR, throw (or complete the stage with) an {@link RpcException}, for
 * example {@code new RpcException.NotSupported("no such connector")}. Any other exception is
 * answered with {@code InternalError}; its message and type go to the peer only when the client
 * was built with {@code respondWithDetailedErrors(true)}. Returning null is a bug and is answered
 * with {@code InternalError}.
 */
@FunctionalInterface
public interface CallHandler {
  /** Returned by a handler to send no answer to the call. */
  Object NO_REPLY =
      new Object() {
        @Override
        public String toString() {
          return "NO_REPLY";
        }
      };

  /** Handles one CALL and returns its result (see the type's documentation). */
  Object handle(IncomingCall call) throws Exception;
}
