package dev.ocppj.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority and certificates made by the test itself, with the JDK's keytool: no
 * key material is committed. All stores are PKCS12 with the password {@link #PASSWORD}.
 *
 * <ul>
 *   <li>{@link #trustStore()}: the test CA's certificate;
 *   <li>{@link #serverKeyStore()}: a server certificate for localhost and 127.0.0.1;
 *   <li>{@link #wrongHostKeyStore()}: a valid certificate for another host;
 *   <li>{@link #expiredKeyStore()}: a certificate for 127.0.0.1 that expired;
 *   <li>{@link #clientKeyStore()}: a client certificate (CN=CP3), for security profile 3;
 *   <li>{@link #otherTrustStore()}: a different CA, which trusts none of the above.
 * </ul>
 */
public final class TestCertificates {
  /** The password of every store. */
  public static final char[] PASSWORD = "changeit".toCharArray();

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Creates the CA and the certificates in {@code dir} (a few seconds of keytool). */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    TestCertificates c = new TestCertificates(dir);
    c.keyPair("ca.p12", "ca", "CN=OCPP Test CA", "bc:c");
    c.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
    c.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
    c.signed("server.p12", "server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth", false);
    c.signed("wrong-host.p12", "server", "CN=wrong.example", "san=dns:wrong.example", "eku=serverAuth", false);
    c.signed("expired.p12", "server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth", true);
    c.signed("client.p12", "client", "CN=CP3", "eku=clientAuth", "ku=digitalSignature", false);
    c.signed("renewed-client.p12", "client", "CN=CP3 renewed", "eku=clientAuth", "ku=digitalSignature", false);
    c.keyPair("other-ca.p12", "other", "CN=Some Other CA", "bc:c");
    c.keytool("-exportcert", "-alias", "other", "-keystore", "other-ca.p12", "-rfc", "-file", "other.pem");
    c.keytool("-importcert", "-noprompt", "-alias", "other", "-file", "other.pem", "-keystore", "other-trust.p12");
    return c;
  }

  public Path trustStore() {
    return dir.resolve("trust.p12");
  }

  public Path serverKeyStore() {
    return dir.resolve("server.p12");
  }

  public Path wrongHostKeyStore() {
    return dir.resolve("wrong-host.p12");
  }

  public Path expiredKeyStore() {
    return dir.resolve("expired.p12");
  }

  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /** A second client certificate for CP3, as after a CertificateSigned renewal. */
  public Path renewedClientKeyStore() {
    return dir.resolve("renewed-client.p12");
  }

  public Path otherTrustStore() {
    return dir.resolve("other-trust.p12");
  }

  /** A server's TLS context: {@code keyStore}'s certificate, trusting the test CA for clients. */
  public SSLContext serverContext(Path keyStore) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(KeyStore.getInstance(keyStore.toFile(), PASSWORD), PASSWORD);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(KeyStore.getInstance(trustStore().toFile(), PASSWORD));
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private void keyPair(String store, String alias, String dname, String ext) throws IOException, InterruptedException {
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", dname, "-ext", ext, "-validity", "3650", "-keystore", store);
  }

  /** A key pair in {@code store}, its certificate signed by the test CA, chain included. */
  private void signed(String store, String alias, String dname, String ext1, String ext2, boolean expired)
      throws IOException, InterruptedException {
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", dname, "-validity", "365", "-keystore", store);
    keytool("-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
    List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12",
        "-infile", alias + ".csr", "-outfile", store + ".pem", "-rfc", "-ext", ext1, "-ext", ext2));
    if (expired) {
      sign.addAll(List.of("-startdate", "-30d", "-validity", "2"));
    } else {
      sign.addAll(List.of("-validity", "365"));
    }
    keytool(sign.toArray(String[]::new));
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
    keytool("-importcert", "-noprompt", "-alias", alias, "-file", store + ".pem", "-keystore", store);
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", new String(PASSWORD), "-storetype", "PKCS12"));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool did not finish: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed: " + cmd + "\n" + out);
    }
    Files.createDirectories(dir);
  }
}
