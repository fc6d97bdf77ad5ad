package dev.ocppj.client;

import java.net.URI;
import java.util.Map;

/**
 * A connection opened: what {@link OcppClient#connect()} completes with and what {@link
 * ClientListener#onOpen(OpenEvent)} receives.
 *
 * @param url the URL connected to, identity and query included
 * @param protocol the OCPP version the server selected
 * @param headers the server's handshake response headers, names in lower case
 */
public record OpenEvent(URI url, OcppVersion protocol, Map<String, String> headers) {
  public OpenEvent {
    headers = Map.copyOf(headers);
  }
}
