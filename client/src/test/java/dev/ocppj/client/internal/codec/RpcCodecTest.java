package dev.ocppj.client.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.internal.codec.MalformedFrameException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class RpcCodecTest {

  @Test
  void decodesCall() throws Exception {
    Frame f = RpcCodec.decode("[2,\"a1\",\"Reset\",{\"type\":\"Soft\"}]");
    assertThat(f).isInstanceOf(Frame.Call.class);
    Frame.Call c = (Frame.Call) f;
    assertThat(c.messageId()).isEqualTo("a1");
    assertThat(c.action()).isEqualTo("Reset");
    assertThat(c.params().get("type").asString()).isEqualTo("Soft");
    assertThat(c.messageType()).isEqualTo(2);
  }

  @Test
  void decodesCallResultCallErrorAndThe21Types() throws Exception {
    assertThat(RpcCodec.decode("[3,\"a1\",{\"x\":1}]"))
        .isEqualTo(new Frame.CallResult("a1", json("{\"x\":1}")));
    assertThat(RpcCodec.decode("[4,\"a1\",\"NotImplemented\",\"nope\",{\"k\":\"v\"}]"))
        .isEqualTo(new Frame.CallError("a1", "NotImplemented", "nope", json("{\"k\":\"v\"}")));
    assertThat(RpcCodec.decode("[5,\"a1\",\"InternalError\",\"bad\",{}]"))
        .isEqualTo(new Frame.CallResultError("a1", "InternalError", "bad", json("{}")));
    assertThat(RpcCodec.decode("[6,\"a1\",\"NotifyPeriodicEventStream\",{}]"))
        .isEqualTo(new Frame.Send("a1", "NotifyPeriodicEventStream", json("{}")));
  }

  @Test
  void acceptsWhitespaceAndA36CharacterId() throws Exception {
    String id = "x".repeat(36);
    Frame f = RpcCodec.decode(" [ 3 , \"" + id + "\" , { } ] ");
    assertThat(f.messageId()).isEqualTo(id);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // text                                   | kind                 | type | id
        "not json                                 | NOT_JSON             | -1   | ",
        "[2,\"a\",\"Heartbeat\",{}] trailing        | NOT_JSON             | -1   | ",
        "``                                       | NOT_JSON             | -1   | ",
        "{\"a\":1}                                | NOT_ARRAY            | -1   | ",
        "\"text\"                                 | NOT_ARRAY            | -1   | ",
        "42                                       | NOT_ARRAY            | -1   | ",
        "[]                                       | BAD_MESSAGE_TYPE     | -1   | ",
        "[\"2\",\"a\",\"Heartbeat\",{}]           | BAD_MESSAGE_TYPE     | -1   | a",
        "[2.5,\"a\",\"Heartbeat\",{}]             | BAD_MESSAGE_TYPE     | -1   | a",
        "[null,\"a\"]                             | BAD_MESSAGE_TYPE     | -1   | a",
        "[7,\"a\",\"Heartbeat\",{}]               | UNKNOWN_MESSAGE_TYPE | 7    | a",
        "[1,\"a\"]                                | UNKNOWN_MESSAGE_TYPE | 1    | a",
        "[2]                                      | BAD_MESSAGE_ID       | 2    | ",
        "[2,17,\"Heartbeat\",{}]                  | BAD_MESSAGE_ID       | 2    | ",
        "[2,\"\",\"Heartbeat\",{}]                | BAD_MESSAGE_ID       | 2    | ",
        "[2,\"0123456789012345678901234567890123456\",\"Heartbeat\",{}] | BAD_MESSAGE_ID | 2 | ",
        "[3,null,{}]                              | BAD_MESSAGE_ID       | 3    | ",
        "[2,\"a\",\"Heartbeat\"]                  | BAD_STRUCTURE        | 2    | a",
        "[2,\"a\",\"Heartbeat\",{},{}]            | BAD_STRUCTURE        | 2    | a",
        "[2,\"a\",5,{}]                           | BAD_STRUCTURE        | 2    | a",
        "[2,\"a\",\"\",{}]                        | BAD_STRUCTURE        | 2    | a",
        "[2,\"a\",\"Heartbeat\",[]]               | BAD_STRUCTURE        | 2    | a",
        "[2,\"a\",\"Heartbeat\",null]             | BAD_STRUCTURE        | 2    | a",
        "[2,\"a\",\"Heartbeat\",\"x\"]            | BAD_STRUCTURE        | 2    | a",
        "[3,\"a\"]                                | BAD_STRUCTURE        | 3    | a",
        "[3,\"a\",[1]]                            | BAD_STRUCTURE        | 3    | a",
        "[4,\"a\",\"GenericError\",\"d\"]         | BAD_STRUCTURE        | 4    | a",
        "[4,\"a\",1,\"d\",{}]                     | BAD_STRUCTURE        | 4    | a",
        "[4,\"a\",\"GenericError\",null,{}]       | BAD_STRUCTURE        | 4    | a",
        "[4,\"a\",\"GenericError\",\"d\",[]]      | BAD_STRUCTURE        | 4    | a",
        "[6,\"a\",\"X\"]                          | BAD_STRUCTURE        | 6    | a",
      })
  void rejectsMalformedText(String text, Kind kind, int type, String id) {
    assertThatThrownBy(() -> RpcCodec.decode(text == null ? "" : text))
        .isInstanceOfSatisfying(
            MalformedFrameException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(kind);
              assertThat(e.messageType()).isEqualTo(type);
              assertThat(e.messageId()).isEqualTo(id);
              assertThat(e.getMessage()).isNotBlank();
            });
  }

  @Test
  void messagesSayWhatIsWrong() {
    assertThatThrownBy(() -> RpcCodec.decode("[2,\"a\",\"Heartbeat\",[]]"))
        .hasMessage("payload must be a JSON object, was an array");
    assertThatThrownBy(() -> RpcCodec.decode("[3,\"a\"]"))
        .hasMessage("CALLRESULT must have 3 elements, had 2");
    assertThatThrownBy(() -> RpcCodec.decode("[2,\"" + "x".repeat(37) + "\",\"A\",{}]"))
        .hasMessage("message id must be at most 36 characters, was 37");
  }

  @Test
  void encodesEachTypeAsCompactJson() {
    JsonNode p = json("{\"a\":1}");
    assertThat(RpcCodec.encodeCall(RpcCodec.CALL, "m1", "Heartbeat", json("{}")))
        .isEqualTo("[2,\"m1\",\"Heartbeat\",{}]");
    assertThat(RpcCodec.encodeResult("m1", p)).isEqualTo("[3,\"m1\",{\"a\":1}]");
    assertThat(
            RpcCodec.encodeError(
                RpcCodec.CALLERROR, "m1", "GenericError", "d \"q\"", JsonNodeFactory.instance.objectNode()))
        .isEqualTo("[4,\"m1\",\"GenericError\",\"d \\\"q\\\"\",{}]");
  }

  @Test
  void encodedFramesDecodeBack() throws Exception {
    JsonNode p = json("{\"n\":[1,2.5,\"x\"],\"o\":{\"b\":true}}");
    String text = RpcCodec.encodeCall(RpcCodec.CALL, "id-9", "DataTransfer", p);
    assertThat(RpcCodec.decode(text)).isEqualTo(new Frame.Call("id-9", "DataTransfer", p));
  }

  private static JsonNode json(String text) {
    return RpcCodec.mapper().readTree(text);
  }
}
