package io.cairn.server.config;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's rules tying URL schemes to TLS flags: an {@code https://} listener needs a key pair (or
 * auto-TLS) on its side, with etcd's error message; and one address cannot serve both schemes
 * here (etcd multiplexes {@code http://} and {@code https://} on one port; Cairn refuses that
 * configuration rather than serve plaintext on a TLS port).
 */
final class TlsUrlRules {
  private TlsUrlRules() {}

  static void check(ServerConfig config) {
    TlsSettings client = config.clientTls();
    TlsSettings peer = config.peerTls();
    requireKeyPair("--listen-client-urls", "client url", config.listenClientUrls(), client);
    requireKeyPair("--listen-client-http-urls", "client url", config.listenClientHttpUrls(), client);
    requireKeyPair("--listen-metrics-urls", "metrics url", config.listenMetricsUrls(), client);
    requireKeyPair("--listen-peer-urls", "peer url", config.listenPeerUrls(), peer);
    oneSchemePerAddress("--listen-client-urls", config.listenClientUrls());
    oneSchemePerAddress("--listen-peer-urls", config.listenPeerUrls());
  }

  private static void requireKeyPair(String flag, String what, List<URI> urls, TlsSettings tls) {
    for (URI url : urls) {
      if (url.getScheme().equals("https") && !tls.hasKeyPair() && !tls.autoTls()) {
        String p = tls.flagPrefix();
        throw new ConfigException(flag, "TLS key/cert (--" + p + "cert-file, --" + p + "key-file) must be provided for "
            + what + " " + url + " with HTTPS scheme");
      }
    }
  }

  private static void oneSchemePerAddress(String flag, List<URI> urls) {
    Map<String, String> schemes = new HashMap<>();
    for (URI url : urls) {
      String address = url.getHost() + ":" + url.getPort();
      String other = schemes.putIfAbsent(address, url.getScheme());
      if (other != null && !other.equals(url.getScheme())) {
        throw new ConfigException(flag, "both http:// and https:// on " + address
            + " is not supported: give plaintext and TLS listeners different ports");
      }
    }
  }
}
