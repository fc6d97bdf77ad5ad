package dev.ocppj.chargepoint;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/**
 * A real PKCS#10 certificate signing request (RFC 2986) for SignCertificate (1.6 security
 * extension, 2.x A02/A03): a fresh EC P-256 key, the subject the specs ask for (CN the station's
 * identity or serial, O the CpoName / OrganizationName), signed with ECDSA-SHA256. The JDK has no
 * public CSR API, and a dozen lines of DER are cheaper than a dependency for users who never use
 * it. The private key stays in memory with the station only until the next request.
 */
final class Csr {
  // 1.2.840.10045.4.3.2 ecdsa-with-SHA256
  private static final byte[] ECDSA_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};

  private Csr() {}

  /** A PEM {@code CERTIFICATE REQUEST} for {@code CN=commonName, O=organization}. */
  static String create(String commonName, String organization) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      String dn = "CN=" + escape(commonName) + (organization == null || organization.isEmpty() ? "" : ",O=" + escape(organization));
      byte[] info = der(0x30, concat(
          new byte[] {0x02, 0x01, 0x00}, // version 0
          new X500Principal(dn).getEncoded(),
          keys.getPublic().getEncoded(), // SubjectPublicKeyInfo
          new byte[] {(byte) 0xa0, 0x00})); // attributes: none
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(info);
      byte[] signature = signer.sign();
      byte[] request = der(0x30, concat(
          info,
          der(0x30, ECDSA_SHA256),
          der(0x03, concat(new byte[] {0x00}, signature))));
      return "-----BEGIN CERTIFICATE REQUEST-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(request)
          + "\n-----END CERTIFICATE REQUEST-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make an EC P-256 key: " + e.getMessage(), e);
    }
  }

  private static String escape(String value) {
    return value.replaceAll("([,+\"\\\\<>;=])", "\\\\$1");
  }

  private static byte[] der(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = contents.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
