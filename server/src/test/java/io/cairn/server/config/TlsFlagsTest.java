package io.cairn.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** etcd's TLS flags, their defaults, ETCD_* variables and etcd's errors for unusable combinations. */
class TlsFlagsTest {
  private final List<String> warnings = new ArrayList<>();

  private ServerConfig parse(Map<String, String> env, String... args) {
    return ServerFlags.parse(args, env, warnings::add);
  }

  private static final String[] HTTPS_CLIENT = {"--listen-client-urls", "https://127.0.0.1:2379",
      "--advertise-client-urls", "https://127.0.0.1:2379"};

  @Test
  void defaultsAreEtcds() {
    ServerConfig c = parse(Map.of());
    assertFalse(c.clientTls().hasKeyPair());
    assertFalse(c.clientTls().clientCertAuth());
    assertFalse(c.peerTls().autoTls());
    assertEquals("TLS1.2", c.clientTls().minVersion());
    assertEquals("", c.clientTls().maxVersion());
    assertEquals(1, c.peerTls().selfSignedCertValidityYears());
    assertEquals(List.of(), c.listenClientHttpUrls());
  }

  @Test
  void kubeadmFlagsParse() {
    ServerConfig c = parse(Map.of(), "--name", "m", "--initial-cluster", "m=https://10.0.0.1:2380",
        "--listen-client-urls", "https://127.0.0.1:2379,https://10.0.0.1:2379",
        "--advertise-client-urls", "https://10.0.0.1:2379", "--listen-peer-urls", "https://10.0.0.1:2380",
        "--initial-advertise-peer-urls", "https://10.0.0.1:2380", "--listen-metrics-urls", "http://127.0.0.1:2381",
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt", "--key-file=/etc/kubernetes/pki/etcd/server.key",
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--client-cert-auth=true",
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt", "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
        "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--peer-client-cert-auth=true");
    assertEquals(URI.create("https://10.0.0.1:2379"), c.listenClientUrls().get(1));
    assertEquals(Optional.of(Path.of("/etc/kubernetes/pki/etcd/server.crt")), c.clientTls().certFile());
    assertTrue(c.clientTls().clientCertAuth());
    assertTrue(c.clientTls().requiresClientCertificates());
    assertEquals(Optional.of(Path.of("/etc/kubernetes/pki/etcd/peer.key")), c.peerTls().keyFile());
    assertTrue(c.peerTls().clientCertAuth());
  }

  @Test
  void environmentVariablesWork() {
    ServerConfig c = parse(Map.of("ETCD_CERT_FILE", "/c.crt", "ETCD_KEY_FILE", "/c.key", "ETCD_AUTO_TLS", "true",
        "ETCD_PEER_CERT_ALLOWED_CN", "etcd-peer", "ETCD_CIPHER_SUITES",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), HTTPS_CLIENT);
    assertEquals(Optional.of(Path.of("/c.key")), c.clientTls().keyFile());
    assertTrue(c.clientTls().autoTls());
    assertEquals("etcd-peer", c.peerTls().allowedCn());
    assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
        c.peerTls().cipherSuites());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void httpsWithoutKeyPairIsEtcdsError() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(Map.of(), HTTPS_CLIENT));
    assertTrue(e.getMessage().contains("TLS key/cert (--cert-file, --key-file) must be provided for client url "
        + "https://127.0.0.1:2379 with HTTPS scheme"), e.getMessage());
    ConfigException peer = assertThrows(ConfigException.class, () -> parse(Map.of(), "--listen-peer-urls",
        "https://127.0.0.1:2380"));
    assertTrue(peer.getMessage().contains("(--peer-cert-file, --peer-key-file) must be provided for peer url"),
        peer.getMessage());
    ConfigException metrics = assertThrows(ConfigException.class, () -> parse(Map.of(), "--listen-metrics-urls",
        "https://127.0.0.1:2381"));
    assertTrue(metrics.getMessage().contains("for metrics url https://127.0.0.1:2381"), metrics.getMessage());
    // Auto-TLS is a key pair too.
    assertTrue(parse(Map.of(), "--auto-tls", "--listen-client-urls", "https://127.0.0.1:2379").clientTls().autoTls());
  }

  @Test
  void badVersionsAndSuitesAreRefusedAsEtcdRefusesThem() {
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--tls-min-version", "TLS1.4"))
        .getMessage().contains("unexpected TLS version \"TLS1.4\""));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--tls-min-version", "TLS1.3",
        "--tls-max-version", "TLS1.2")).getMessage().contains("min version (TLS1.3) is greater than max version (TLS1.2)"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--tls-min-version", "TLS1.3",
        "--cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).getMessage()
        .contains("cipher suites cannot be configured when only TLS1.3 or greater is supported"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--cipher-suites", "TLS_NOPE"))
        .getMessage().contains("unexpected TLS cipher suite \"TLS_NOPE\""));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--cert-file", "/a.crt"))
        .getMessage().contains("--cert-file and --key-file must be given together"));
  }

  @Test
  void plainAndTlsOnOnePortIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(Map.of(), "--auto-tls",
        "--listen-client-urls", "http://127.0.0.1:2379,https://127.0.0.1:2379"));
    assertTrue(e.getMessage().contains("both http:// and https:// on 127.0.0.1:2379"), e.getMessage());
  }
}
