package io.cairn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.config.TlsSettings;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --auto-tls --peer-auto-tls} as on etcd: each member generates self-signed pairs in
 * {@code <data-dir>/fixtures/client} and {@code /peer}, members talk to each other over TLS
 * without verifying (no CA could vouch for the certificates), and clients must skip verification
 * ({@code etcdctl --insecure-transport=false --insecure-skip-tls-verify}).
 */
class AutoTlsTest {
  @TempDir
  Path dir;

  @Test
  void threeMembersWithGeneratedCertificatesServeEtcdctlSkippingVerification() throws Exception {
    ExternalTools.etcdctl();
    TlsSettings client = TlsSettings.builder("").autoTls(true).build();
    TlsSettings peer = TlsSettings.builder("peer-").autoTls(true).build();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).tls(client, peer).start()) {
      cluster.awaitLeader(Duration.ofSeconds(60));
      for (int i = 0; i < 3; i++) {
        Path fixtures = cluster.config(i).dataDir().resolve("fixtures");
        for (String side : new String[] {"client", "peer"}) {
          assertTrue(Files.exists(fixtures.resolve(side).resolve("cert.pem")), side + " cert of member " + i);
          assertEquals("rw-------", PosixFilePermissions.toString(
              Files.getPosixFilePermissions(fixtures.resolve(side).resolve("key.pem"))));
        }
      }
      String endpoints = cluster.clientEndpoints();
      assertTrue(endpoints.startsWith("https://"), endpoints);
      Etcdctl etcdctl = new Etcdctl(endpoints);
      etcdctl.run("--insecure-transport=false", "--insecure-skip-tls-verify", "--dial-timeout=10s",
          "put", "auto", "tls").out();
      assertEquals("auto\ntls\n", etcdctl.run("--insecure-transport=false", "--insecure-skip-tls-verify",
          "--dial-timeout=10s", "get", "auto").out());
      // Verifying against the system's CAs fails: the certificates are self-signed.
      Etcdctl.Result verifying = etcdctl.run("--insecure-transport=false", "--dial-timeout=3s",
          "--command-timeout=5s", "get", "auto");
      assertNotEquals(0, verifying.exitCode(), verifying.stdout());

      // A restarted member keeps the pair it generated (etcd reuses an existing one).
      Path cert = cluster.config(1).dataDir().resolve("fixtures").resolve("client").resolve("cert.pem");
      String before = Files.readString(cert);
      cluster.stop(1);
      cluster.start(1);
      assertEquals(before, Files.readString(cert));
      cluster.awaitLeader(Duration.ofSeconds(60));
    }
  }
}
