package dev.ocppj.benchmarks;

import bench.common.Args;
import bench.common.ClientDriver;
import dev.ocppj.client.CloseOptions;
import dev.ocppj.client.OcppClient;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Our client in the peer harness (../shared/bench, "Adding our client"): the harness's driver runs
 * the latency, pipelined, fanout and push benchmarks through this factory.
 *
 * <pre>java -jar ocpp-client-bench.jar &lt;latency|pipelined|fanout|push&gt; &lt;host:port&gt; [options]
 *   --inflight N      callConcurrency for the pipelined bench (default: the driver's --inflight)
 *   --ping-s N        WebSocket ping interval (default 60, as the Java peers; 0 = off)
 *   --transport T     netty (default) or java-websocket
 *   --strict B        true: validate every message against the OCA schemas (default false)</pre>
 */
public final class HarnessClient implements ClientDriver.Factory {

  public static void main(String[] args) {
    ClientDriver.main(new HarnessClient(), args, 0);
  }

  @Override
  public String client() {
    return "ours";
  }

  @Override
  public String library() {
    return "ocpp-client (dev.ocppj) OcppClient";
  }

  @Override
  public String libraryVersion() {
    Package p = OcppClient.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public Map<String, Object> settings(Args a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ping_s", a.integer("ping-s", 60));
    m.put("call_concurrency", callConcurrency(a));
    m.put("transport", transport(a).toString());
    m.put("strict", a.bool("strict", false));
    m.put("java", Runtime.version().toString());
    return m;
  }

  private static Transport transport(Args a) {
    return a.str("transport", "netty").equals("java-websocket") ? Transport.JAVA_WEBSOCKET : Transport.NETTY;
  }

  private static int callConcurrency(Args a) {
    return a.pos.get(0).equals("pipelined") ? a.integer("inflight", 64) : 1;
  }

  @Override
  public String concurrencyNote() {
    return "callConcurrency set to --inflight: that many CALLs in flight, the rest queued unsent (FIFO)";
  }

  @Override
  public ClientDriver.BenchClient create(String identity, String base, Args a, Runnable onPush) {
    String pushAction = a.str("push-action", "GetConfiguration");
    OcppClient client =
        OcppClient.builder(URI.create(base), identity)
            .protocols(OcppVersion.V1_6)
            .callConcurrency(callConcurrency(a))
            .transport(transport(a))
            .strictMode(a.bool("strict", false))
            .pingInterval(Duration.ofSeconds(a.integer("ping-s", 60)))
            .build();
    client.handle(
        call -> {
          if (onPush != null && call.action().equals(pushAction)) {
            onPush.run();
          }
          return answer(call.action());
        });
    return new ClientDriver.BenchClient() {
      @Override
      public void open() throws Exception {
        client.connect().get(30, TimeUnit.SECONDS);
      }

      @Override
      public CompletableFuture<?> boot() {
        return client.call(
            "BootNotification",
            Map.of("chargePointVendor", "BenchVendor", "chargePointModel", "BenchModel"));
      }

      @Override
      public CompletableFuture<?> heartbeat() {
        return client.call("Heartbeat", Map.of());
      }

      @Override
      public void disconnect() {
        client.close(CloseOptions.defaults().withAwaitPending(false));
      }
    };
  }

  /** A valid 1.6 answer for the push actions the harness's server sends. */
  private static Map<String, Object> answer(String action) {
    return switch (action) {
      case "GetConfiguration" -> Map.of("configurationKey", List.of(), "unknownKey", List.of());
      case "ClearCache", "ChangeAvailability", "ChangeConfiguration", "Reset", "TriggerMessage" ->
          Map.of("status", "Accepted");
      default -> Map.of();
    };
  }
}
