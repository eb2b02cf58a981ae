package io.cairn.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsing of etcd's URL-list flags ({@code http://a:2379,http://b:2379}) and {@code --initial-cluster}. */
public final class UrlList {
  private UrlList() {}

  /** A comma-separated list of http or https URLs with an explicit host and port. Empty text means none. */
  static List<URI> parse(String flag, String text) {
    List<URI> urls = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return List.of();
    }
    for (String part : text.split(",")) {
      urls.add(parseOne(flag, part.trim()));
    }
    return List.copyOf(urls);
  }

  public static URI parseOne(String flag, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(flag, "'" + text + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new ConfigException(flag, "URL '" + text + "' needs a scheme, e.g. http://" + text);
    }
    if (scheme.equals("unixs") || scheme.equals("unix")) {
      throw new ConfigException(flag, "URL '" + text + "': scheme '" + scheme
          + "' is not supported; use http:// or https://");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(flag, "URL '" + text + "' must use http:// or https://");
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new ConfigException(flag, "URL '" + text + "' must name a host and a port, e.g. http://127.0.0.1:2379");
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      throw new ConfigException(flag, "URL '" + text + "' must not have a path");
    }
    return URI.create(scheme + "://" + hostForUri(uri.getHost()) + ":" + uri.getPort());
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * {@code --initial-cluster}: {@code name=url[,name=url...]}; a name may repeat to give a member
   * several peer URLs. Order of first appearance is kept.
   */
  static Map<String, List<URI>> parseCluster(String flag, String text) {
    Map<String, List<URI>> members = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      // An empty name is allowed, as etcd allows it: etcdctl member add prints one for members
      // added but not started yet (they have no name until they start).
      if (eq < 0 || eq == part.length() - 1) {
        throw new ConfigException(flag, "'" + part + "' is not name=peerURL (example: --initial-cluster "
            + "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380)");
      }
      String name = part.substring(0, eq).trim();
      URI url = parseOne(flag, part.substring(eq + 1).trim());
      members.computeIfAbsent(name, n -> new ArrayList<>()).add(url);
    }
    Map<String, List<URI>> frozen = new LinkedHashMap<>();
    members.forEach((name, urls) -> frozen.put(name, List.copyOf(urls)));
    return Collections.unmodifiableMap(frozen);
  }
}
