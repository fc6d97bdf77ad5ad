package dev.ocppj.chargepoint;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * The station's certificates (1.6 security extension, 2.x block M): root certificates the CSMS
 * installs, and the station's own certificate from CertificateSigned. Certificates are parsed
 * for real (X.509 PEM), so a CSMS gets the hash data it computed itself: the SHA-256 of the
 * issuer's DER name, of the issuer's public key, and the serial number in hex. For a certificate
 * whose issuer is not in the store (nor itself), the issuer key hash is of the issuer name's
 * DER too, which the CSMS cannot check; it only matches what we report. Guarded by its station's lock.
 */
final class CertificateStore {
  /** One installed certificate and its OCPP hash data. */
  record Installed(String type, String hashAlgorithm, String issuerNameHash, String issuerKeyHash,
      String serialNumber, String pem) {}

  private static final HexFormat HEX = HexFormat.of();
  private final int capacity;
  private final List<Installed> installed = new ArrayList<>();

  CertificateStore(int capacity) {
    this.capacity = capacity;
  }

  /** InstallCertificate: Accepted, Rejected (not a valid, current X.509 PEM) or Failed (store full). */
  String install(String type, String pem) {
    X509Certificate cert = parse(pem);
    if (cert == null || expired(cert)) {
      return "Rejected";
    }
    Installed entry = hashData(type, cert, pem);
    installed.removeIf(i -> i.serialNumber().equals(entry.serialNumber()) && i.issuerNameHash().equals(entry.issuerNameHash()));
    if (installed.size() >= capacity) {
      return "Failed";
    }
    installed.add(entry);
    return "Accepted";
  }

  /** The certificates of these types (all for an empty collection). */
  List<Installed> installed(Collection<String> types) {
    return installed.stream().filter(i -> types.isEmpty() || types.contains(i.type())).toList();
  }

  /** DeleteCertificate: Accepted or NotFound (hashes compared ignoring case). */
  String delete(String hashAlgorithm, String issuerNameHash, String issuerKeyHash, String serialNumber) {
    boolean removed = installed.removeIf(i -> i.hashAlgorithm().equalsIgnoreCase(hashAlgorithm)
        && i.issuerNameHash().equalsIgnoreCase(issuerNameHash)
        && i.issuerKeyHash().equalsIgnoreCase(issuerKeyHash)
        && stripZeros(i.serialNumber()).equalsIgnoreCase(stripZeros(serialNumber)));
    return removed ? "Accepted" : "NotFound";
  }

  /** CertificateSigned: Accepted when the chain's first certificate parses and is current, else Rejected. */
  String signed(String type, String pemChain) {
    X509Certificate cert = parse(pemChain);
    if (cert == null || expired(cert)) {
      return "Rejected";
    }
    installed.removeIf(i -> i.type().equals(type));
    installed.add(hashData(type, cert, pemChain));
    return "Accepted";
  }

  /** The first certificate of a PEM text, or null when there is none that parses. */
  static X509Certificate parse(String pem) {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      return null;
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      return null;
    }
  }

  private static boolean expired(X509Certificate cert) {
    return cert.getNotAfter().before(new Date());
  }

  private Installed hashData(String type, X509Certificate cert, String pem) {
    byte[] issuerName = cert.getIssuerX500Principal().getEncoded();
    byte[] issuerKey = null;
    if (cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal())) {
      issuerKey = subjectPublicKey(cert.getPublicKey().getEncoded());
    } else {
      // The issuer among those installed now (parsed again: installing is rare, and a deleted or
      // replaced certificate must not be found).
      for (Installed i : installed) {
        X509Certificate c = parse(i.pem());
        if (c != null && c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
          issuerKey = subjectPublicKey(c.getPublicKey().getEncoded());
        }
      }
    }
    return new Installed(type, "SHA256", sha256(issuerName), sha256(issuerKey != null ? issuerKey : issuerName),
        cert.getSerialNumber().toString(16), pem);
  }

  // As OCSP's CertID (RFC 6960), which OCPP's hash data copies: the hash is of the key's BIT
  // STRING value inside SubjectPublicKeyInfo, without the algorithm or the unused-bits byte.
  static byte[] subjectPublicKey(byte[] spki) {
    int[] at = {0};
    header(spki, at); // SEQUENCE SubjectPublicKeyInfo
    int algorithmLength = header(spki, at); // SEQUENCE AlgorithmIdentifier
    at[0] += algorithmLength;
    int bits = header(spki, at); // BIT STRING
    return java.util.Arrays.copyOfRange(spki, at[0] + 1, at[0] + bits);
  }

  // Reads a DER tag and length at at[0], leaves at[0] on the contents and returns their length.
  private static int header(byte[] der, int[] at) {
    at[0]++; // tag
    int first = der[at[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at[0]++] & 0xff);
    }
    return length;
  }

  private static String sha256(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String stripZeros(String hex) {
    String s = hex.replaceFirst("^0+(?=.)", "");
    return s;
  }
}
