package io.cairn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.cairn.server.testing.EtcdClient;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.ExternalTools;
import io.cairn.server.testing.OpensslPki;
import io.cairn.server.testing.ServerProcess;
import io.cairn.server.testing.TestPki;
import io.cairn.server.testing.TlsClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real etcd 3.4 and Cairn side by side with the same TLS flags, asked the same things by etcdctl:
 * with only {@code --trusted-ca-file} (no {@code --client-cert-auth}) both require a client
 * certificate; with neither, both serve TLS clients without one; neither serves plaintext on its
 * https:// port.
 */
class TlsDifferentialTest {
  @TempDir
  Path dir;

  @Test
  void etcdAndCairnAgreeOnWhoIsServed() {
    ExternalTools.etcd();
    OpensslPki pki = OpensslPki.create(dir.resolve("pki"));
    pki.issue("server", "member", "serverAuth,clientAuth");
    pki.issue("client", "client", "clientAuth");
    TestPki.Issued client = new TestPki.Issued(pki.certFile("client"), pki.keyFile("client"), null);
    String keyPair = "--cert-file=" + pki.certFile("server");
    String key = "--key-file=" + pki.keyFile("server");
    String ca = "--trusted-ca-file=" + pki.caFile();
    List<String> outcomes = new ArrayList<>();
    for (boolean etcd : new boolean[] {true, false}) {
      for (String[] flags : new String[][] {{keyPair, key, ca}, {keyPair, key}}) {
        boolean mtls = flags.length == 3;
        try (ServerProcess server = ServerProcess.singleTls(etcd, dir.resolve((etcd ? "etcd" : "cairn") + flags.length),
            hostPort -> new EtcdClient(TlsClients.channel("127.0.0.1", port(hostPort), pki.caFile(),
                mtls ? client : null), false), flags).start(Duration.ofSeconds(120))) {
          String https = "https://" + server.endpoint();
          Etcdctl.Result withCert = new Etcdctl(https).run("--dial-timeout=10s", "--cacert=" + pki.caFile(),
              "--cert=" + pki.certFile("client"), "--key=" + pki.keyFile("client"), "put", "k", "v");
          Etcdctl.Result caOnly = new Etcdctl(https).run("--dial-timeout=3s", "--command-timeout=5s",
              "--cacert=" + pki.caFile(), "put", "k", "v");
          Etcdctl.Result plaintext = new Etcdctl("http://" + server.endpoint()).run("--dial-timeout=3s",
              "--command-timeout=5s", "put", "k", "v");
          assertNotEquals(0, plaintext.exitCode(), "plaintext on an https:// port");
          outcomes.add((mtls ? "trusted-ca:" : "no-ca:") + " with cert " + withCert.exitCode()
              + ", without " + (caOnly.exitCode() == 0 ? 0 : 1));
        }
      }
    }
    assertEquals(outcomes.subList(0, 2), outcomes.subList(2, 4), "etcd first, then Cairn: " + outcomes);
    assertEquals(List.of("trusted-ca: with cert 0, without 1", "no-ca: with cert 0, without 0"), outcomes.subList(0, 2));
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
