package dev.ocppj.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * A client's OCPP security profile and its credentials, as the OCPP security whitepaper and OCPP
 * 2.0.1 Part 2 define them: 0 (no security), 1 (HTTP Basic over ws), 2 (HTTP Basic over TLS), 3
 * (TLS with a client certificate). Built by the client builder's security methods.
 *
 * <p>The password never appears in {@link #toString()}, logs or exception messages.
 */
public final class Security {
  private final int profile;
  private final byte[] password;
  private final SSLContext sslContext;
  private final boolean hostnameVerification;
  private final KeyMaterial keyMaterial;

  /**
   * The key and trust store files a TLS context was made from, kept so that a {@code
   * reconfigure} can replace one of them and read the files again. Passwords are copies.
   */
  record KeyMaterial(Path keyStore, char[] keyStorePassword, Path trustStore, char[] trustStorePassword) {
    KeyMaterial {
      keyStorePassword = keyStorePassword == null ? null : keyStorePassword.clone();
      trustStorePassword = trustStorePassword == null ? null : trustStorePassword.clone();
    }

    @Override
    public char[] keyStorePassword() {
      return keyStorePassword == null ? null : keyStorePassword.clone();
    }

    @Override
    public char[] trustStorePassword() {
      return trustStorePassword == null ? null : trustStorePassword.clone();
    }

    @Override
    public String toString() {
      return "KeyMaterial{keyStore=" + keyStore + ", trustStore=" + trustStore + "}";
    }
  }

  Security(
      int profile,
      byte[] password,
      SSLContext sslContext,
      boolean hostnameVerification,
      KeyMaterial keyMaterial) {
    this.profile = profile;
    this.password = password == null ? null : password.clone();
    this.sslContext = sslContext;
    this.hostnameVerification = hostnameVerification;
    this.keyMaterial = keyMaterial;
  }

  /** The files the TLS context was made from, or null if it was given as an SSLContext. */
  KeyMaterial keyMaterial() {
    return keyMaterial;
  }

  /** The security profile, 0 to 3. */
  public int profile() {
    return profile;
  }

  /** True if a Basic auth password is set (profiles 1 and 2). */
  public boolean hasPassword() {
    return password != null;
  }

  /** A copy of the Basic auth password's bytes; empty if none. */
  public byte[] password() {
    return password == null ? new byte[0] : password.clone();
  }

  /** The TLS context for wss connections, or null for the JVM's default. */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** False only if hostname verification was switched off explicitly (never by default). */
  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  /**
   * The {@code Authorization} header value for {@code identity}: {@code Basic base64(identity:password)},
   * with the password's bytes as they are (OCPP allows binary passwords); null without a password.
   */
  public String basicAuthorization(String identity) {
    if (password == null) {
      return null;
    }
    byte[] user = (identity + ":").getBytes(StandardCharsets.UTF_8);
    byte[] credentials = Arrays.copyOf(user, user.length + password.length);
    System.arraycopy(password, 0, credentials, user.length, password.length);
    try {
      return "Basic " + Base64.getEncoder().encodeToString(credentials);
    } finally {
      Arrays.fill(credentials, (byte) 0);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Security s
        && profile == s.profile
        && Arrays.equals(password, s.password)
        && sslContext == s.sslContext
        && hostnameVerification == s.hostnameVerification
        && java.util.Objects.equals(keyMaterial, s.keyMaterial);
  }

  @Override
  public int hashCode() {
    return profile * 31 + Arrays.hashCode(password);
  }

  @Override
  public String toString() {
    return "Security{profile=" + profile
        + ", password=" + (password == null ? "none" : "(set)")
        + ", tls=" + (sslContext == null ? "default" : keyMaterial != null ? keyMaterial : "custom")
        + (hostnameVerification ? "" : ", HOSTNAME VERIFICATION DISABLED")
        + "}";
  }
}
