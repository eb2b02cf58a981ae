package io.cairn.bench.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * One etcd client endpoint, as given to {@code --endpoints}: {@code http://host:port} or
 * {@code host:port}. TLS endpoints are refused with a clear message (the bench speaks plaintext).
 */
public record Endpoint(String host, int port) {

  public Endpoint {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("endpoint has no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port out of range: " + port);
    }
  }

  /** Parses one endpoint; throws IllegalArgumentException naming the bad text. */
  public static Endpoint parse(String text) {
    String trimmed = text.trim();
    String withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid endpoint '" + text + "': " + e.getMessage());
    }
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "invalid endpoint '" + text + "': only http:// (plaintext) endpoints are supported");
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("invalid endpoint '" + text + "': expected host:port");
    }
    return new Endpoint(uri.getHost(), uri.getPort());
  }

  /** Parses a comma-separated list; an empty list is an error. */
  public static List<Endpoint> parseList(String commaSeparated) {
    List<Endpoint> out = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no endpoint given in '" + commaSeparated + "'");
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "http://" + host + ":" + port;
  }
}
