package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocppj.client.ClientListener;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.ValidationFailureEvent;
import dev.ocppj.testkit.Frame;
import dev.ocppj.testkit.TestCsms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** A test CSMS and a started 1.6 charge point on a strict client, for the ChargePoint16 tests. */
final class ChargePoint16Fixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String ID = "CP16";
  static final String CERT = """
      -----BEGIN CERTIFICATE-----
      MIIBbzCCARagAwIBAgIIMPgIkpywEgYwCgYIKoZIzj0EAwIwJDEOMAwGA1UEChMF
      b2NwcGoxEjAQBgNVBAMTCVRlc3QgUm9vdDAeFw0yNjEyMDcwNTEyMDRaFw00NjEy
      MDIwNTEyMDRaMCQxDjAMBgNVBAoTBW9jcHBqMRIwEAYDVQQDEwlUZXN0IFJvb3Qw
      WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATJo9G/YKZtRHYmcLBNpeV+sIn7yuZn
      rxAJrKGCaCbCBi3h/JQff0/gJpH6rOYV6P7dtnEJPm78Vubgwp6IAZvHozIwMDAd
      BgNVHQ4EFgQU5/9CNBEDGKvSaa8T7YbE9FPA9mgwDwYDVR0TAQH/BAUwAwEB/zAK
      BggqhkjOPQQDAgNHADBEAiBT1KsLtu9ZtMQM+N0BlhN5KrKtwWZMhm5O6hs0CzrP
      WAIgQRsyw7U9yI3tIxmpbXYAlfjiM5TTGetUztqkw1B4YDo=
      -----END CERTIFICATE-----
      """;

  final TestCsms csms = TestCsms.start();
  final List<ValidationFailureEvent> failures = new CopyOnWriteArrayList<>();
  final OcppClient client;
  final ChargePoint cp;

  ChargePoint16Fixture(boolean strict, Consumer<StationProfile.Builder> profile) {
    client = OcppClient.builder(csms.endpoint(), ID)
        .protocols(OcppVersion.V1_6)
        .strictMode(strict)
        .callTimeout(WAIT)
        .listener(new ClientListener() {
          @Override
          public void onStrictValidationFailure(ValidationFailureEvent event) {
            failures.add(event);
          }
        })
        .build();
    StationProfile.Builder b = StationProfile.builder("VendorX", "ModelY").serialNumber("SN-16").connectors(2)
        .rebootDelay(Duration.ofMillis(500)).stepDelay(Duration.ofMillis(50));
    profile.accept(b);
    cp = ChargePoint.create(client, b.build());
  }

  static ChargePoint16Fixture started(boolean strict, Consumer<StationProfile.Builder> profile) throws Exception {
    ChargePoint16Fixture f = new ChargePoint16Fixture(strict, profile);
    try {
      f.cp.start().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      f.settle();
    } catch (Exception | AssertionError e) {
      f.close();
      throw e;
    }
    return f;
  }

  static ChargePoint16Fixture started() throws Exception {
    return started(true, b -> {});
  }

  /** Waits for the station's queued work, then drops every frame the CSMS has not taken yet. */
  void settle() throws Exception {
    cp.idle().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    while (true) {
      try {
        csms.takeFrame(Duration.ofMillis(20));
      } catch (AssertionError none) {
        return;
      }
    }
  }

  /** The CSMS calls {@code action}; returns the charge point's answer frame. */
  Frame call(String action, Object payload) throws Exception {
    return csms.call(ID, action, payload instanceof String s ? TestCsms.json(s) : payload)
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A call that must be answered with {@code status}. */
  Frame expect(String action, Object payload, String status) throws Exception {
    Frame f = call(action, payload);
    assertThat(f.messageType()).as(action + " answered " + f.text()).isEqualTo(3);
    assertThat(f.payload().path("status").asString()).as(action + " status").isEqualTo(status);
    return f;
  }

  void configure(String key, String value) throws Exception {
    expect("ChangeConfiguration", "{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}", "Accepted");
  }

  /** A transaction running at {@code connector} for {@code tag}. */
  void charging(int connector, String tag) throws Exception {
    cp.plugIn(connector).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    cp.presentToken(connector, IdToken.idTag(tag)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(cp.status(connector)).isEqualTo("Charging");
  }

  /** How a charge point's CALL reads in expectations: StatusNotification:1:Charging, StopTransaction:Remote, Action:status. */
  static String describe(Frame f) {
    JsonNode p = f.payload();
    return switch (f.action()) {
      case "StatusNotification" -> "StatusNotification:" + p.path("connectorId").asInt() + ":" + p.path("status").asString();
      case "StopTransaction" -> "StopTransaction:" + p.path("reason").asString();
      default -> p.has("status") ? f.action() + ":" + p.path("status").asString() : f.action();
    };
  }

  /**
   * Waits for each expected follow-up (by action), then checks that the charge point's CALLs
   * after the frame {@code after} (the answer to the CSMS's call) begin with exactly {@code expected}, in order.
   */
  List<String> awaitFollowUps(Frame after, List<String> expected) {
    for (String e : expected) {
      csms.awaitCall(e.split(":")[0], WAIT);
    }
    List<String> seen = callsAfter(after);
    assertThat(seen.subList(0, Math.min(seen.size(), expected.size()))).as("follow-ups after " + after.action()).isEqualTo(expected);
    return seen;
  }

  /** The descriptions of the charge point's CALLs after the frame {@code after}. */
  List<String> callsAfter(Frame after) {
    List<Frame> all = csms.transcript();
    List<String> seen = new ArrayList<>();
    boolean found = false;
    for (Frame f : all) {
      if (found && f.direction() == Frame.Direction.FROM_CHARGE_POINT && f.messageType() == 2) {
        seen.add(describe(f));
      }
      if (!found && f.direction() == Frame.Direction.FROM_CHARGE_POINT && f.messageType() != 2
          && f.messageId().equals(after.messageId())) {
        found = true;
      }
    }
    assertThat(found).as("the answer " + after.text() + " is in the transcript").isTrue();
    return seen;
  }

  void assertSchemaValid() {
    assertThat(failures).as("strict-mode validation failures").isEmpty();
  }

  @Override
  public void close() {
    try {
      cp.close();
    } finally {
      csms.close();
    }
  }
}
