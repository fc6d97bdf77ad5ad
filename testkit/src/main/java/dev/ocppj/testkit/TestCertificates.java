package dev.ocppj.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority and certificates made by the test itself, in-process: no key material
 * is committed and no JDK tool is needed (a JRE will do). All stores are PKCS12 with the password
 * {@link #PASSWORD}; all keys are EC P-256, signed with SHA256withECDSA.
 *
 * <ul>
 *   <li>{@link #trustStore()}: the test CA's certificate;
 *   <li>{@link #serverKeyStore()}: a server certificate for localhost and 127.0.0.1;
 *   <li>{@link #wrongHostKeyStore()}: a valid certificate for another host;
 *   <li>{@link #expiredKeyStore()}: a certificate for 127.0.0.1 that expired;
 *   <li>{@link #clientKeyStore()}: a client certificate (CN=CP3), for security profile 3;
 *   <li>{@link #otherTrustStore()}: a different CA, which trusts none of the above.
 * </ul>
 *
 * <p>The directory also gets {@code ca.pem} and {@code other.pem} (the two CA certificates), the
 * CAs' own key stores {@code ca.p12} and {@code other-ca.p12}, and each signed certificate as
 * {@code <store>.pem} (for example {@code server.p12.pem}).
 */
public final class TestCertificates {
  /** The password of every store. */
  public static final char[] PASSWORD = "changeit".toCharArray();

  private static final Duration DAY = Duration.ofDays(1);
  private static final String SERVER = "server";
  private static final String CLIENT = "client";

  private final Path dir;
  private final SecureRandom random = new SecureRandom();
  private final JcaX509ExtensionUtils extensions;

  private TestCertificates(Path dir) throws GeneralSecurityException {
    this.dir = dir;
    this.extensions = new JcaX509ExtensionUtils();
  }

  /**
   * Creates the CA and the certificates in {@code dir}, which is created if missing.
   * {@code InterruptedException} stays declared for callers written against the earlier,
   * keytool-based version.
   *
   * @throws IllegalStateException if the JDK cannot make EC P-256 keys or PKCS12 stores
   */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    try {
      Files.createDirectories(dir);
      TestCertificates c = new TestCertificates(dir);
      Instant now = Instant.now();
      Ca ca = c.ca("ca.p12", "ca", "CN=OCPP Test CA", now);
      c.pem("ca.pem", ca.cert());
      c.trustStore("trust.p12", "ca", ca.cert());
      c.signed("server.p12", SERVER, "CN=localhost", ca, now, Duration.ofDays(365), "localhost", "127.0.0.1");
      c.signed("wrong-host.p12", SERVER, "CN=wrong.example", ca, now, Duration.ofDays(365), "wrong.example");
      // Valid for two days, a month ago.
      c.signed("expired.p12", SERVER, "CN=localhost", ca, now.minus(DAY.multipliedBy(30)), DAY.multipliedBy(2),
          "localhost", "127.0.0.1");
      c.signed("client.p12", CLIENT, "CN=CP3", ca, now, Duration.ofDays(365));
      c.signed("renewed-client.p12", CLIENT, "CN=CP3 renewed", ca, now, Duration.ofDays(365));
      Ca other = c.ca("other-ca.p12", "other", "CN=Some Other CA", now);
      c.pem("other.pem", other.cert());
      c.trustStore("other-trust.p12", "other", other.cert());
      return c;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("Cannot create EC P-256 test certificates in " + dir + ": " + e, e);
    }
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

  private record Ca(KeyPair keys, X509Certificate cert) {}

  /** A self-signed root, valid ten years, with its key in {@code file} under {@code alias}. */
  private Ca ca(String file, String alias, String name, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair keys = keyPair();
    X500Principal subject = new X500Principal(name);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now),
        Date.from(now.plus(DAY.multipliedBy(3650))), subject, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
    X509Certificate cert = sign(b, keys);
    Ca ca = new Ca(keys, cert);
    KeyStore store = emptyStore();
    store.setKeyEntry(alias, keys.getPrivate(), PASSWORD, new X509Certificate[] {cert});
    save(store, file);
    return ca;
  }

  /**
   * A key pair in {@code file} under {@code alias}, its certificate signed by {@code ca} and
   * chained to it, next to the CA as a trusted entry. With host names it is a server certificate
   * (as SANs), without a client certificate.
   */
  private void signed(String file, String alias, String name, Ca ca, Instant from, Duration validity, String... hosts)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair keys = keyPair();
    boolean server = hosts.length > 0;
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), serial(), Date.from(from),
        Date.from(from.plus(validity)), new X500Principal(name), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
        .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
        .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.cert()));
    if (server) {
      b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hosts));
    }
    X509Certificate cert = sign(b, ca.keys());
    KeyStore store = emptyStore();
    store.setCertificateEntry("ca", ca.cert());
    store.setKeyEntry(alias, keys.getPrivate(), PASSWORD, new X509Certificate[] {cert, ca.cert()});
    save(store, file);
    pem(file + ".pem", cert);
  }

  private static GeneralNames subjectAltNames(String... hosts) {
    GeneralName[] names = new GeneralName[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      boolean ip = Character.isDigit(hosts[i].charAt(0));
      names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, hosts[i]);
    }
    return new GeneralNames(names);
  }

  private void trustStore(String file, String alias, X509Certificate cert) throws GeneralSecurityException, IOException {
    KeyStore store = emptyStore();
    store.setCertificateEntry(alias, cert);
    save(store, file);
  }

  // The JDK's providers do the cryptography; BouncyCastle only assembles and encodes certificates,
  // so nothing is registered as a global JCA provider.
  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  /** A positive 63-bit serial, unique in practice (RFC 5280 allows up to 20 octets). */
  private BigInteger serial() {
    return new BigInteger(63, random).setBit(62);
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private void save(KeyStore store, String file) throws GeneralSecurityException, IOException {
    try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
      store.store(out, PASSWORD);
    }
  }

  private void pem(String file, X509Certificate cert) throws IOException {
    try (Writer w = Files.newBufferedWriter(dir.resolve(file)); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(cert);
    }
  }
}
