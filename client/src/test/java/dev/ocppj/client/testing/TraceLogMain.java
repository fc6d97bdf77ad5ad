package dev.ocppj.client.testing;

import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Connects with Basic auth and makes one call, for a test that runs it in a JVM of its own with
 * every logger at TRACE and reads what was logged (the CSMS stays in the test's JVM, whose log is
 * not read). Arguments: transport, CSMS endpoint, password.
 */
public final class TraceLogMain {
  private TraceLogMain() {}

  public static void main(String[] args) throws Exception {
    Transport transport = Transport.valueOf(args[0]);
    byte[] password = args[2].getBytes(StandardCharsets.UTF_8);
    OcppClient c =
        OcppClient.builder(URI.create(args[1]), "CP1")
            .protocols(OcppVersion.V1_6)
            .transport(transport)
            .securityProfile(1)
            .password(password)
            .build();
    c.connect().get(20, TimeUnit.SECONDS);
    c.call("Heartbeat", Map.of()).get(20, TimeUnit.SECONDS);
    c.close(CloseOptions.defaults()).get(20, TimeUnit.SECONDS);
    System.out.println("TRACE-LOG-MAIN-DONE");
    System.exit(0);
  }
}
