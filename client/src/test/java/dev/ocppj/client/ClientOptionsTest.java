package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
  private static final URI WS = URI.create("ws://127.0.0.1:9000/ocpp");

  private static OcppClient.Builder builder(String identity) {
    return OcppClient.builder(WS, identity).protocols(OcppVersion.V1_6);
  }

  @Test
  void defaultsMatchTheDocumentation() {
    ClientOptions o = builder("CP1").build().options();
    assertThat(o.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.callConcurrency()).isEqualTo(1);
    assertThat(o.maxBadMessages()).isEqualTo(Integer.MAX_VALUE);
    assertThat(o.respondWithDetailedErrors()).isFalse();
    assertThat(o.protocols()).containsExactly(OcppVersion.V1_6);
    assertThat(o.maxQueuedCalls()).isEqualTo(1000);
    assertThat(o.queueTimeout()).isNull();
    assertThat(o.effectiveQueueTimeout(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    assertThat(o.handlerConcurrency()).isEqualTo(16);
    assertThat(o.handlerTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.maxMessageSize()).isEqualTo(4 * 1024 * 1024);
    assertThat(o.maxOutboundBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(o.maxInboundBacklog()).isEqualTo(1000);
    assertThat(o.maxInboundBacklogBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(o.backoffResetAfter()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theUrlIsEndpointSlashEncodedIdentityAndQuery() {
    OcppClient c =
        builder("CP 1/ä+é:x".replace(":", "")).query("token", "a b&c").query("v", "1").build();
    assertThat(c.options().connectionUrl())
        .hasToString("ws://127.0.0.1:9000/ocpp/CP%201%2F%C3%A4%2B%C3%A9x?token=a%20b%26c&v=1");
  }

  @Test
  void anEndpointWithATrailingSlashGetsNoSecondOne() {
    OcppClient c = OcppClient.builder(URI.create("wss://h/ocpp/"), "CP-1").protocols(OcppVersion.V2_0_1).build();
    assertThat(c.options().connectionUrl()).hasToString("wss://h/ocpp/CP-1");
  }

  @Test
  void unreservedCharactersStayAsTheyAre() {
    OcppClient c = builder("Az09-._~").build();
    assertThat(c.options().connectionUrl()).hasToString("ws://127.0.0.1:9000/ocpp/Az09-._~");
  }

  @Test
  void dotSegmentIdentitiesAreRefusedSinceTheUrlWouldNormaliseThemAway() {
    for (String dots : new String[] {".", ".."}) {
      assertThatThrownBy(() -> builder(dots).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("identity must not be '.' or '..'");
    }
    // Dots inside an identity are ordinary characters.
    assertThat(builder("...").build().options().connectionUrl()).hasToString("ws://127.0.0.1:9000/ocpp/...");
    assertThat(builder("a..b").build().options().connectionUrl()).hasToString("ws://127.0.0.1:9000/ocpp/a..b");
  }

  @Test
  void headerValuesThatCouldInjectHeadersAreRefusedAtBuildAndReconfigure() {
    for (String bad : new String[] {"ok\r\nX-Injected: evil", "ok\nX-Injected: evil", "ok\rx", "nul\0", "del\u007f", "wide\u0100"}) {
      assertThatThrownBy(() -> builder("CP").header("X-Custom", bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("header X-Custom: value has a forbidden character U+");
    }
    OcppClient c = builder("CP").header("X-Custom", "ok\tfine, \u00e9 too").build();
    assertThatThrownBy(() -> c.reconfigure(o -> o.header("X-Custom", "ok\r\nX-Injected: evil")))
        .hasMessage("header X-Custom: value has a forbidden character U+000D at index 2 (control characters,"
            + " CR and LF are not allowed in an HTTP header)");
    assertThat(c.options().headers()).containsEntry("X-Custom", "ok\tfine, \u00e9 too");
    assertThatThrownBy(() -> builder("CP").header("", "v").build()).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> builder("CP").header("X Bad", "v").build())
        .hasMessage("header name is not an HTTP token: 'X Bad'");
  }

  @Test
  void invalidOptionsFailAtBuildNamingTheOption() {
    assertThatThrownBy(() -> builder(null).build()).hasMessage("identity is required");
    assertThatThrownBy(() -> builder("").build()).hasMessageStartingWith("identity must be 1 to 48");
    assertThatThrownBy(() -> builder("x".repeat(49)).build())
        .hasMessageStartingWith("identity must be 1 to 48 characters, was 49");
    assertThatThrownBy(() -> builder("a:b").build())
        .hasMessageStartingWith("identity must not contain ':'");
    assertThatThrownBy(() -> OcppClient.builder(null, "CP").protocols(OcppVersion.V1_6).build())
        .hasMessage("endpoint is required");
    assertThatThrownBy(
            () -> OcppClient.builder(URI.create("http://h/ocpp"), "CP").protocols(OcppVersion.V1_6).build())
        .hasMessageStartingWith("endpoint must be a ws:// or wss:// URL");
    assertThatThrownBy(
            () -> OcppClient.builder(URI.create("ws://h/ocpp?a=1"), "CP").protocols(OcppVersion.V1_6).build())
        .hasMessageStartingWith("endpoint must not have a query");
    assertThatThrownBy(() -> OcppClient.builder(WS, "CP").build())
        .hasMessage("protocols must name at least one OCPP version");
    assertThatThrownBy(() -> builder("CP").protocols(OcppVersion.V1_6, OcppVersion.V1_6).build())
        .hasMessageStartingWith("protocols lists ocpp1.6 twice");
    assertThatThrownBy(() -> builder("CP").callTimeout(Duration.ZERO).build())
        .hasMessage("callTimeout must be positive: PT0S");
    assertThatThrownBy(() -> builder("CP").connectTimeout(Duration.ofSeconds(-1)).build())
        .hasMessage("connectTimeout must be positive: PT-1S");
    assertThatThrownBy(() -> builder("CP").callConcurrency(0).build())
        .hasMessage("callConcurrency must be at least 1: 0");
    assertThatThrownBy(() -> builder("CP").maxBadMessages(0).build())
        .hasMessage("maxBadMessages must be at least 1: 0");
    assertThatThrownBy(() -> builder("CP").query("", "x").build())
        .hasMessageStartingWith("query parameter names must not be empty");
    assertThatThrownBy(() -> builder("CP").maxQueuedCalls(-1).build())
        .hasMessage("maxQueuedCalls must not be negative: -1");
    assertThatThrownBy(() -> builder("CP").queueTimeout(Duration.ZERO).build())
        .hasMessage("queueTimeout must be positive: PT0S");
    assertThatThrownBy(() -> builder("CP").handlerConcurrency(0).build())
        .hasMessage("handlerConcurrency must be at least 1: 0");
    assertThatThrownBy(() -> builder("CP").handlerTimeout(Duration.ofMillis(-5)).build())
        .hasMessage("handlerTimeout must be positive: PT-0.005S");
    assertThatThrownBy(() -> builder("CP").maxMessageSize(100).build())
        .hasMessage("maxMessageSize must be at least 1024 bytes: 100");
    assertThatThrownBy(() -> builder("CP").maxMessageSize(8192).maxOutboundBytes(4096).build())
        .hasMessage("maxOutboundBytes 4096 must be at least maxMessageSize 8192");
    assertThatThrownBy(() -> builder("CP").maxInboundBacklog(0, 1 << 24).build())
        .hasMessage("maxInboundBacklog must be at least 1: 0");
    assertThatThrownBy(() -> builder("CP").backoffResetAfter(Duration.ofSeconds(-1)).build())
        .hasMessage("backoffResetAfter must not be negative: PT-1S");
  }

  @Test
  void closeOptionsAcceptOnlySendableCodes() {
    for (int ok : new int[] {1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999}) {
      assertThat(CloseOptions.defaults().withCode(ok, "").code()).isEqualTo(ok);
    }
    for (int bad : new int[] {999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
      assertThatThrownBy(() -> CloseOptions.defaults().withCode(bad, ""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("close code " + bad + " may not be sent");
    }
    assertThatThrownBy(() -> CloseOptions.defaults().withCode(1000, "x".repeat(124)))
        .hasMessageStartingWith("close reason must be at most 123 bytes");
  }

  @Test
  void callOptionsRejectNonPositiveTimeouts() {
    assertThatThrownBy(() -> CallOptions.defaults().withTimeout(Duration.ZERO))
        .hasMessage("timeout must be positive: PT0S");
    assertThatThrownBy(() -> CallOptions.defaults().withQueueTimeout(Duration.ofSeconds(-1)))
        .hasMessage("queueTimeout must be positive: PT-1S");
  }
}
