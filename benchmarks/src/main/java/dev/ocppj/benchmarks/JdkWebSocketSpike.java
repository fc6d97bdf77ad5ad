package dev.ocppj.benchmarks;

import bench.common.Args;
import bench.common.ClientDriver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transport spike of issue 10: what the JDK's own {@code java.net.http.WebSocket} costs as an
 * OCPP-J engine, measured in the peer harness beside the raw Java-WebSocket floor and our client.
 * Raw frames like the harness's floor client (no OCPP model, no validation), answers matched by
 * id. The JDK allows one outstanding send per WebSocket, so sends are chained.
 *
 * <p>{@code --http shared} (default) runs every connection on one {@code HttpClient} (one selector
 * thread plus its executor); {@code --http per-client} gives each its own, which is what a client
 * needs for its own TLS settings (an {@code SSLContext} is fixed per {@code HttpClient}): a charge
 * point with its own certificate, security profile 3.
 *
 * <pre>java -cp ocpp-client-bench.jar dev.ocppj.benchmarks.JdkWebSocketSpike fanout 127.0.0.1:PORT --clients 1000</pre>
 */
public final class JdkWebSocketSpike implements ClientDriver.Factory {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static volatile HttpClient shared;

  public static void main(String[] args) throws Exception {
    ClientDriver.main(new JdkWebSocketSpike(), args, 0);
  }

  @Override
  public String client() {
    return "jdkws-raw";
  }

  @Override
  public String library() {
    return "java.net.http.WebSocket+Jackson (raw frames)";
  }

  @Override
  public String libraryVersion() {
    return "JDK " + Runtime.version();
  }

  @Override
  public Map<String, Object> settings(Args a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("http", a.str("http", "shared"));
    return m;
  }

  @Override
  public String concurrencyNote() {
    return "any number of calls in flight; sends chained (one outstanding send per WebSocket)";
  }

  private static HttpClient http(Args a) {
    if (a.str("http", "shared").equals("per-client")) {
      return HttpClient.newHttpClient();
    }
    HttpClient h = shared;
    if (h == null) {
      synchronized (JdkWebSocketSpike.class) {
        if (shared == null) {
          shared = HttpClient.newHttpClient();
        }
        h = shared;
      }
    }
    return h;
  }

  @Override
  public ClientDriver.BenchClient create(String identity, String base, Args a, Runnable onPush) {
    URI uri = URI.create(base + "/" + identity);
    HttpClient http = http(a);
    Conn conn = new Conn(onPush, a.str("push-action", "GetConfiguration"));
    return new ClientDriver.BenchClient() {
      @Override
      public void open() throws Exception {
        conn.ws =
            http.newWebSocketBuilder().subprotocols("ocpp1.6").buildAsync(uri, conn).get(30, TimeUnit.SECONDS);
      }

      @Override
      public CompletableFuture<?> boot() {
        return conn.call("BootNotification", "{\"chargePointVendor\":\"BenchVendor\",\"chargePointModel\":\"BenchModel\"}");
      }

      @Override
      public CompletableFuture<?> heartbeat() {
        return conn.call("Heartbeat", "{}");
      }

      @Override
      public void disconnect() {
        WebSocket ws = conn.ws;
        if (ws != null) {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
      }
    };
  }

  private static final class Conn implements WebSocket.Listener {
    private final ConcurrentHashMap<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final Runnable onPush;
    private final String pushAction;
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null); // guarded by this
    volatile WebSocket ws;

    Conn(Runnable onPush, String pushAction) {
      this.onPush = onPush;
      this.pushAction = pushAction;
    }

    CompletableFuture<JsonNode> call(String action, String payload) {
      String id = Long.toString(seq.incrementAndGet());
      CompletableFuture<JsonNode> f = new CompletableFuture<>();
      pending.put(id, f);
      send("[2,\"" + id + "\",\"" + action + "\"," + payload + "]");
      return f;
    }

    private synchronized void send(String text) {
      WebSocket w = ws;
      sends = sends.thenCompose(x -> w.sendText(text, true));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        handle(text);
      }
      webSocket.request(1);
      return null;
    }

    private void handle(String text) {
      JsonNode msg = JSON.readTree(text);
      int type = msg.path(0).asInt();
      String id = msg.path(1).asString();
      if (type == 3 || type == 4) {
        CompletableFuture<JsonNode> f = pending.remove(id);
        if (f != null) {
          if (type == 3) {
            f.complete(msg.path(2));
          } else {
            f.completeExceptionally(new IllegalStateException(text));
          }
        }
      } else if (type == 2) {
        if (msg.path(2).asString().equals(pushAction)) {
          onPush.run();
        }
        String answer =
            pushAction.equals("GetConfiguration") ? "{\"configurationKey\":[],\"unknownKey\":[]}" : "{\"status\":\"Accepted\"}";
        send("[3,\"" + id + "\"," + answer + "]");
      }
    }
  }
}
