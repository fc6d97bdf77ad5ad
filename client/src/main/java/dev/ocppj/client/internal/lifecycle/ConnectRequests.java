package dev.ocppj.client.internal.lifecycle;

import dev.ocppj.client.ClientOptions;
import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.internal.session.LibraryVersion;
import dev.ocppj.client.internal.transport.WebSocketTransport.ConnectRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one connect attempt asks the transport for, from the options in force. */
final class ConnectRequests {
  private ConnectRequests() {}

  /**
   * The request for {@code url}: the configured versions, or only {@code negotiated} once one was
   * (so a reconnect cannot switch versions); the user's headers, a default User-Agent, and the
   * security profile's Authorization; the transport's limits.
   */
  static ConnectRequest of(ClientOptions o, OcppVersion negotiated, URI url) {
    List<String> subprotocols = new ArrayList<>();
    if (negotiated != null && o.protocols().contains(negotiated)) {
      subprotocols.add(negotiated.subprotocol());
    } else {
      for (OcppVersion v : o.protocols()) {
        subprotocols.add(v.subprotocol());
      }
    }
    Map<String, String> headers = new LinkedHashMap<>(o.headers());
    if (headers.keySet().stream().noneMatch("User-Agent"::equalsIgnoreCase)) {
      headers.put("User-Agent", LibraryVersion.USER_AGENT);
    }
    String authorization = o.security().basicAuthorization(o.identity());
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return new ConnectRequest(
        url,
        subprotocols,
        headers,
        o.connectTimeout(),
        o.security().sslContext(),
        o.security().hostnameVerification(),
        o.maxMessageSize(),
        o.maxOutboundBytes());
  }
}
