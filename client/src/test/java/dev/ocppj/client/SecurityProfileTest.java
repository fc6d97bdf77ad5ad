package dev.ocppj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.rpc.ConnectFailedException;
import dev.ocppj.testkit.TestCertificates;
import dev.ocppj.testkit.ChargePoint;
import dev.ocppj.testkit.TestCsms;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security profiles 0-3 against real TLS, with certificates the test makes itself. */
abstract class SecurityProfileTest {
  /** The transport under test. */
  abstract Transport transport();

  private static final byte[] PASSWORD = "correct horse battery".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static TestCertificates certs;

  private TestCsms csms;
  private OcppClient client;
  private final EventLog events = new EventLog();

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.create(dir);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close(CloseOptions.defaults().withForce(true));
    }
    if (csms != null) {
      csms.close();
    }
  }

  private OcppClient client(String identity, UnaryOperator<OcppClient.Builder> config) {
    client =
        config
            .apply(
                OcppClient.builder(csms.endpoint(), identity)
                    .transport(transport())
                    .protocols(OcppVersion.V1_6)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                    .retryInitialConnect(true)
                    .listener(events))
            .build();
    return client;
  }

  private static String basic(String identity, byte[] password) {
    byte[] user = (identity + ":").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[user.length + password.length];
    System.arraycopy(user, 0, all, 0, user.length);
    System.arraycopy(password, 0, all, user.length, password.length);
    return "Basic " + Base64.getEncoder().encodeToString(all);
  }

  @Test
  void profile1SendsBasicAuthWithTheIdentityAsUserName() {
    csms = TestCsms.start().requireBasicAuth("CP1", PASSWORD);
    OcppClient c = client("CP1", b -> b.securityProfile(1).password(PASSWORD));
    ClientTestBase.get(c.connect());
    assertThat(csms.awaitConnection().headers()).containsEntry("authorization", basic("CP1", PASSWORD));
  }

  @Test
  void aBinaryPasswordGoesOutAsItsBytes() {
    byte[] binary = {0, 1, (byte) 0xfe, (byte) 0xff, ':', 'x'};
    csms = TestCsms.start().requireBasicAuth("CP1", binary);
    OcppClient c = client("CP1", b -> b.securityProfile(1).password(binary));
    ClientTestBase.get(c.connect());
    assertThat(csms.awaitConnection().headers()).containsEntry("authorization", basic("CP1", binary));
  }

  @Test
  void aWrongPasswordIsRefusedWith401AndNotRetried() {
    csms = TestCsms.start().requireBasicAuth("CP1", PASSWORD);
    OcppClient c = client("CP1", b -> b.securityProfile(1).password("wrong"));
    Throwable t = ClientTestBase.failure(c.connect());
    assertThat(t).isInstanceOf(ConnectFailedException.class);
    assertThat(((ConnectFailedException) t).httpStatus()).hasValue(401);
    assertThat(t.getMessage()).doesNotContain("wrong");
    events.await("close 1006 gave up, retrying cannot help");
    assertThat(csms.upgradeRequests()).isEqualTo(1);
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }

  @Test
  void profile2SendsBasicAuthOverTls() throws Exception {
    csms = TestCsms.startTls(certs.serverContext(certs.serverKeyStore()), false).requireBasicAuth("CP2", PASSWORD);
    assertThat(csms.endpoint().getScheme()).isEqualTo("wss");
    OcppClient c =
        client("CP2", b -> b.securityProfile(2).password(PASSWORD).trustStore(certs.trustStore(), TestCertificates.PASSWORD));
    ClientTestBase.get(c.connect());
    ChargePoint peer = csms.awaitConnection();
    assertThat(peer.headers()).containsEntry("authorization", basic("CP2", PASSWORD));
    assertThat(ClientTestBase.get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
  }

  /** A profile 3 client of a CSMS that requires client certificates. */
  private OcppClient profile3Client() throws Exception {
    csms = TestCsms.startTls(certs.serverContext(certs.serverKeyStore()), true);
    return client(
        "CP3",
        b ->
            b.securityProfile(3)
                .keyStore(certs.clientKeyStore(), TestCertificates.PASSWORD)
                .trustStore(certs.trustStore(), TestCertificates.PASSWORD));
  }

  @Test
  void profile3AuthenticatesWithAClientCertificate() throws Exception {
    OcppClient c = profile3Client();
    ClientTestBase.get(c.connect());
    ChargePoint cp = csms.awaitConnection();
    assertThat(cp.headers()).doesNotContainKey("authorization");
    assertThat(cp.clientCertificateSubject()).isEqualTo("CN=CP3");
  }

  @Test
  void aRenewedClientCertificateIsUsedFromTheNextConnection() throws Exception {
    OcppClient c = profile3Client();
    ClientTestBase.get(c.connect());
    ChargePoint first = csms.awaitConnection();
    assertThat(first.clientCertificateSubject()).isEqualTo("CN=CP3");

    // CertificateSigned installed a new key: the next connection must present it.
    c.reconfigure(o -> o.keyStore(certs.renewedClientKeyStore(), TestCertificates.PASSWORD));
    first.close(1012, "reconnect with the new certificate");

    ChargePoint second = csms.awaitConnection();
    assertThat(second.clientCertificateSubject()).isEqualTo("CN=CP3 renewed");
    events.await("open");
    events.await("open");
    assertThat(ClientTestBase.get(c.call("Heartbeat", Map.of())).has("currentTime")).isTrue();
  }

  @Test
  void aServerThatRequiresAClientCertificateRefusesOneWithout() throws Exception {
    csms = TestCsms.startTls(certs.serverContext(certs.serverKeyStore()), true).requireBasicAuth("CP2", PASSWORD);
    OcppClient c =
        client("CP2", b -> b.securityProfile(2).password(PASSWORD).trustStore(certs.trustStore(), TestCertificates.PASSWORD));
    assertThat(ClientTestBase.failure(c.connect())).isInstanceOf(ConnectFailedException.class);
    events.await("close 1006 gave up, retrying cannot help");
    assertThat(c.state()).isEqualTo(ClientState.CLOSED);
  }

  @Test
  void anUntrustedServerCertificateIsRejectedAndNotRetried() throws Exception {
    csms = TestCsms.startTls(certs.serverContext(certs.serverKeyStore()), false).requireBasicAuth("CP2", PASSWORD);
    OcppClient c =
        client("CP2", b -> b.securityProfile(2).password(PASSWORD).trustStore(certs.otherTrustStore(), TestCertificates.PASSWORD));
    Throwable t = ClientTestBase.failure(c.connect());
    assertThat(t).isInstanceOf(ConnectFailedException.class).hasMessageContaining("TLS handshake failed");
    events.await("close 1006 gave up, retrying cannot help");
    assertThat(csms.upgradeRequests()).isZero();
  }

  @Test
  void theJvmsDefaultTrustStoreDoesNotTrustATestCa() throws Exception {
    csms = TestCsms.startTls(certs.serverContext(certs.serverKeyStore()), false);
    OcppClient c = client("CP0", b -> b);
    assertThat(ClientTestBase.failure(c.connect())).hasMessageContaining("TLS handshake failed");
  }

  @Test
  void aCertificateForAnotherHostIsRejectedUnlessVerificationIsExplicitlyOff() throws Exception {
    csms = TestCsms.startTls(certs.serverContext(certs.wrongHostKeyStore()), false);
    OcppClient strict = client("CP0", b -> b.trustStore(certs.trustStore(), TestCertificates.PASSWORD));
    assertThat(ClientTestBase.failure(strict.connect())).hasMessageContaining("TLS handshake failed");
    OcppClient lax =
        client(
            "CP0",
            b -> b.trustStore(certs.trustStore(), TestCertificates.PASSWORD).dangerouslyDisableHostnameVerification());
    assertThat(lax.options().security().toString()).contains("HOSTNAME VERIFICATION DISABLED");
    ClientTestBase.get(lax.connect());
  }

  @Test
  void anExpiredCertificateIsRejected() throws Exception {
    csms = TestCsms.startTls(certs.serverContext(certs.expiredKeyStore()), false);
    OcppClient c = client("CP0", b -> b.trustStore(certs.trustStore(), TestCertificates.PASSWORD));
    assertThat(ClientTestBase.failure(c.connect())).hasMessageContaining("TLS handshake failed");
  }

  @Test
  void customHeadersAndTheDefaultUserAgentAreSent() {
    csms = TestCsms.start();
    OcppClient c = client("CP1", b -> b.header("X-Station-Site", "depot-7"));
    ClientTestBase.get(c.connect());
    Map<String, String> headers = csms.awaitConnection().headers();
    assertThat(headers).containsEntry("x-station-site", "depot-7");
    assertThat(headers.get("user-agent")).matches("ocpp-client/\\S+ \\(Java \\d+\\)");
    c.close();
    OcppClient own = client("CP1", b -> b.header("User-Agent", "MyStation/2.0"));
    ClientTestBase.get(own.connect());
    assertThat(csms.awaitConnection().headers()).containsEntry("user-agent", "MyStation/2.0");
  }

  @Test
  void profilesRefuseImpossibleSettingsAtBuildTime() {
    URI ws = URI.create("ws://127.0.0.1:9/ocpp");
    URI wss = URI.create("wss://127.0.0.1:9/ocpp");
    assertThatThrownBy(() -> builder(ws).securityProfile(2).password(PASSWORD).build())
        .hasMessage("securityProfile 2 requires TLS: the endpoint must be wss://, was " + ws);
    assertThatThrownBy(() -> builder(ws).securityProfile(3).build())
        .hasMessageStartingWith("securityProfile 3 requires TLS");
    assertThatThrownBy(() -> builder(ws).securityProfile(1).build())
        .hasMessage("securityProfile 1 authenticates with HTTP Basic: set a password");
    assertThatThrownBy(() -> builder(wss).securityProfile(2).build())
        .hasMessage("securityProfile 2 authenticates with HTTP Basic: set a password");
    assertThatThrownBy(() -> builder(wss).securityProfile(3).build())
        .hasMessageStartingWith("securityProfile 3 authenticates with a client certificate");
    assertThatThrownBy(() -> builder(wss).securityProfile(3).password(PASSWORD).keyStore(certs.clientKeyStore(), TestCertificates.PASSWORD).build())
        .hasMessageStartingWith("securityProfile 3 sends no Basic auth");
    assertThatThrownBy(() -> builder(ws).securityProfile(4).build())
        .hasMessage("securityProfile must be 0 to 3: 4");
    assertThatThrownBy(() -> builder(ws).header("Authorization", "Bearer x").build())
        .hasMessage("header Authorization is set by the WebSocket handshake or the security profile");
  }

  @Test
  void thePasswordNeverShowsInToStringOrErrors() {
    String secret = "s3cr3t-Pa55word!";
    OcppClient c = builder(URI.create("ws://127.0.0.1:9/ocpp")).securityProfile(1).password(secret).build();
    assertThat(c.options().toString()).doesNotContain(secret).contains("password=(set)");
    assertThat(c.options().security().toString()).doesNotContain(secret);
    assertThatThrownBy(
            () ->
                builder(URI.create("wss://127.0.0.1:9/ocpp"))
                    .keyStore(certs.clientKeyStore(), secret.toCharArray())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(certs.clientKeyStore().toString())
        .message()
        .doesNotContain(secret);
  }

  private static OcppClient.Builder builder(URI endpoint) {
    return OcppClient.builder(endpoint, "CP1").protocols(OcppVersion.V1_6);
  }
}
