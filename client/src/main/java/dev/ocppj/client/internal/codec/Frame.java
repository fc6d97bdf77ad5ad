package dev.ocppj.client.internal.codec;

import tools.jackson.databind.JsonNode;

/**
 * One OCPP-J message, as decoded by {@link RpcCodec}: the three OCPP-J message types, and the two
 * that OCPP 2.1 adds (CALLRESULTERROR, type 5, and SEND, type 6).
 */
public sealed interface Frame {
  /** The message type number that leads the array on the wire. */
  int messageType();

  /** The message id, at most 36 characters. */
  String messageId();

  /** {@code [2, messageId, action, params]}: a request that expects an answer. */
  record Call(String messageId, String action, JsonNode params) implements Frame {
    @Override
    public int messageType() {
      return RpcCodec.CALL;
    }
  }

  /** {@code [3, messageId, payload]}: the answer to a CALL. */
  record CallResult(String messageId, JsonNode payload) implements Frame {
    @Override
    public int messageType() {
      return RpcCodec.CALLRESULT;
    }
  }

  /** {@code [4, messageId, errorCode, errorDescription, errorDetails]}: a CALL that failed. */
  record CallError(String messageId, String errorCode, String description, JsonNode details)
      implements Frame {
    @Override
    public int messageType() {
      return RpcCodec.CALLERROR;
    }
  }

  /** OCPP 2.1 {@code [5, messageId, errorCode, errorDescription, errorDetails]}: a CALLRESULT the receiver could not process. */
  record CallResultError(String messageId, String errorCode, String description, JsonNode details)
      implements Frame {
    @Override
    public int messageType() {
      return RpcCodec.CALLRESULTERROR;
    }
  }

  /** OCPP 2.1 {@code [6, messageId, action, params]}: a request that gets no answer. */
  record Send(String messageId, String action, JsonNode params) implements Frame {
    @Override
    public int messageType() {
      return RpcCodec.SEND;
    }
  }
}
