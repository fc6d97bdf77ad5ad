package dev.ocppj.client.internal.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, from a resource the build fills in, for the default User-Agent. */
public final class LibraryVersion {
  /** The library version, or "dev" when run from an unfiltered build. */
  static final String VERSION = read();

  /** The User-Agent a client sends unless the user sets one. */
  public static final String USER_AGENT =
      "ocpp-client/" + VERSION + " (Java " + System.getProperty("java.specification.version") + ")";

  private LibraryVersion() {}

  private static String read() {
    try (InputStream in = LibraryVersion.class.getResourceAsStream("library.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "dev");
      return v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }
}
