package dev.ocppj.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir static Path dir;
  static TestCertificates certs;
  static X509Certificate ca;

  @BeforeAll
  static void create() throws Exception {
    certs = TestCertificates.create(dir.resolve("made/here"));
    ca = (X509Certificate) load(certs.trustStore()).getCertificate("ca");
  }

  @Test
  void theCaIsASelfSignedEcP256Root() throws Exception {
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=OCPP Test CA");
    assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    ca.verify(ca.getPublicKey());
    ca.checkValidity();
    assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    assertThat(readPem(certs.trustStore().resolveSibling("ca.pem"))).isEqualTo(ca);
    KeyStore caStore = load(certs.trustStore().resolveSibling("ca.p12"));
    assertThat(caStore.isKeyEntry("ca")).isTrue();
    assertThat(caStore.getCertificate("ca")).isEqualTo(ca);
  }

  @Test
  void theServerCertificateIsForLocalhostAndChainsToTheCa() throws Exception {
    X509Certificate[] chain = chain(certs.serverKeyStore(), "server");
    X509Certificate server = chain[0];
    assertThat(chain).hasSize(2);
    assertThat(chain[1]).isEqualTo(ca);
    server.verify(ca.getPublicKey());
    server.checkValidity();
    assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(sans(server)).containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(((ECPublicKey) server.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    trustManager(certs.trustStore()).checkServerTrusted(chain, "ECDHE_ECDSA");
    assertThat(readPem(certs.serverKeyStore().resolveSibling("server.p12.pem"))).isEqualTo(server);
  }

  @Test
  void theWrongHostCertificateIsValidButNotForLocalhost() throws Exception {
    X509Certificate[] chain = chain(certs.wrongHostKeyStore(), "server");
    chain[0].checkValidity();
    trustManager(certs.trustStore()).checkServerTrusted(chain, "ECDHE_ECDSA");
    assertThat(chain[0].getSubjectX500Principal().getName()).isEqualTo("CN=wrong.example");
    assertThat(sans(chain[0])).containsExactly(List.of(2, "wrong.example"));
  }

  @Test
  void theExpiredCertificateIsSignedByTheCaButExpired() throws Exception {
    X509Certificate[] chain = chain(certs.expiredKeyStore(), "server");
    chain[0].verify(ca.getPublicKey());
    assertThat(sans(chain[0])).containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThatThrownBy(chain[0]::checkValidity).isInstanceOf(CertificateExpiredException.class);
    assertThatThrownBy(() -> trustManager(certs.trustStore()).checkServerTrusted(chain, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void theClientCertificatesAreForCp3AndDiffer() throws Exception {
    X509Certificate[] client = chain(certs.clientKeyStore(), "client");
    X509Certificate[] renewed = chain(certs.renewedClientKeyStore(), "client");
    assertThat(client[0].getSubjectX500Principal().getName()).isEqualTo("CN=CP3");
    assertThat(renewed[0].getSubjectX500Principal().getName()).isEqualTo("CN=CP3 renewed");
    for (X509Certificate[] chain : List.of(client, renewed)) {
      assertThat(chain[0].getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
      assertThat(chain[0].getKeyUsage()[0]).as("digitalSignature").isTrue();
      assertThat(chain[0].getSubjectAlternativeNames()).isNull();
      trustManager(certs.trustStore()).checkClientTrusted(chain, "EC");
    }
    assertThat(renewed[0].getPublicKey()).isNotEqualTo(client[0].getPublicKey());
    assertThat(renewed[0].getSerialNumber()).isNotEqualTo(client[0].getSerialNumber());
  }

  @Test
  void theOtherCaTrustsNoneOfThem() throws Exception {
    X509Certificate other = (X509Certificate) load(certs.otherTrustStore()).getCertificate("other");
    assertThat(other.getSubjectX500Principal().getName()).isEqualTo("CN=Some Other CA");
    assertThat(readPem(certs.trustStore().resolveSibling("other.pem"))).isEqualTo(other);
    X509Certificate[] server = chain(certs.serverKeyStore(), "server");
    assertThatThrownBy(() -> server[0].verify(other.getPublicKey())).isInstanceOf(SignatureException.class);
    assertThatThrownBy(() -> trustManager(certs.otherTrustStore()).checkServerTrusted(server, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void everyStoreOpensWithThePasswordOnly() throws Exception {
    for (Path store : List.of(certs.trustStore(), certs.serverKeyStore(), certs.wrongHostKeyStore(),
        certs.expiredKeyStore(), certs.clientKeyStore(), certs.renewedClientKeyStore(), certs.otherTrustStore())) {
      assertThat(load(store).size()).as(store.toString()).isPositive();
      assertThatThrownBy(() -> KeyStore.getInstance(store.toFile(), "wrong".toCharArray()))
          .as(store.toString()).isInstanceOf(IOException.class);
    }
    KeyStore server = load(certs.serverKeyStore());
    assertThat(server.getKey("server", TestCertificates.PASSWORD).getAlgorithm()).isEqualTo("EC");
    assertThat(server.isCertificateEntry("ca")).isTrue();
    assertThat(certs.serverContext(certs.serverKeyStore()).getProtocol()).isEqualTo("TLS");
  }

  private static KeyStore load(Path store) throws Exception {
    return KeyStore.getInstance(store.toFile(), TestCertificates.PASSWORD);
  }

  private static X509Certificate[] chain(Path store, String alias) throws Exception {
    return Arrays.stream(load(store).getCertificateChain(alias)).map(X509Certificate.class::cast)
        .toArray(X509Certificate[]::new);
  }

  private static List<List<?>> sans(X509Certificate cert) throws Exception {
    return List.copyOf(cert.getSubjectAlternativeNames());
  }

  private static X509Certificate readPem(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static X509TrustManager trustManager(Path trustStore) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(trustStore));
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }
}
