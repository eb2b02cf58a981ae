package io.cairn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.embed.LoopbackPorts;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.ExternalTools;
import io.cairn.server.testing.OpensslPki;
import io.cairn.server.testing.ServerProcess;
import io.cairn.server.testing.TestPki;
import io.cairn.server.testing.TlsClients;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member cluster of separate processes started with the TLS flags of kubeadm's etcd manifest
 * (server, peer and client certificates from one CA, made with openssl as docs/cluster.md says,
 * https:// URLs everywhere), served to the real etcdctl 3.4 and to a gRPC Java client over mutual TLS.
 */
class KubeadmTlsClusterTest {
  @TempDir
  static Path dir;
  static OpensslPki pki;
  static final List<ServerProcess> members = new ArrayList<>();
  static String endpoints;

  @BeforeAll
  static void startCluster() {
    ExternalTools.etcdctl();
    pki = OpensslPki.create(dir.resolve("pki"));
    pki.issue("server", "member", "serverAuth,clientAuth");
    pki.issue("peer", "member", "serverAuth,clientAuth");
    pki.issue("client", "kube-apiserver-etcd-client", "clientAuth");
    int[] ports = LoopbackPorts.take(6);
    StringBuilder initial = new StringBuilder();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      initial.append(i == 0 ? "" : ",").append("m").append(i).append("=https://127.0.0.1:").append(ports[2 * i + 1]);
      urls.add("https://127.0.0.1:" + ports[2 * i]);
    }
    endpoints = String.join(",", urls);
    for (int i = 0; i < 3; i++) {
      members.add(ServerProcess.cairnMember("https", KubeadmTlsClusterTest::mtlsClient, "m" + i, dir.resolve("m" + i),
          ports[2 * i], ports[2 * i + 1], initial.toString(),
          "--cert-file=" + pki.certFile("server"), "--key-file=" + pki.keyFile("server"),
          "--trusted-ca-file=" + pki.caFile(), "--client-cert-auth=true",
          "--peer-cert-file=" + pki.certFile("peer"), "--peer-key-file=" + pki.keyFile("peer"),
          "--peer-trusted-ca-file=" + pki.caFile(), "--peer-client-cert-auth=true"));
    }
    members.forEach(ServerProcess::launch);
    // Generous: three JVMs starting at once on a shared 2-core machine.
    members.forEach(m -> m.awaitServing(Duration.ofSeconds(180)));
  }

  private static EtcdClient mtlsClient(String hostPort) {
    int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    return new EtcdClient(TlsClients.channel("127.0.0.1", port, pki.caFile(), clientCertificate()), false);
  }

  private static TestPki.Issued clientCertificate() {
    return new TestPki.Issued(pki.certFile("client"), pki.keyFile("client"), null);
  }

  @AfterAll
  static void stop() {
    members.forEach(ServerProcess::kill);
  }

  private static Etcdctl.Result etcdctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--dial-timeout=10s", "--cacert=" + pki.caFile(), "--cert=" + pki.certFile("client"),
        "--key=" + pki.keyFile("client")));
    all.addAll(List.of(args));
    return new Etcdctl(endpoints).run(all.toArray(new String[0]));
  }

  @Test
  void etcdctlWithTheClientCertificateReadsAndWrites() {
    etcdctl("put", "/registry/tls", "v1").out();
    assertEquals("/registry/tls\nv1\n", etcdctl("get", "/registry/tls").out());
    String health = etcdctl("endpoint", "health").out() + etcdctl("endpoint", "health").stderr();
    assertEquals(3, health.split("is healthy", -1).length - 1, health);
    JsonObject list = etcdctl("member", "list", "-w", "json").json().getAsJsonObject();
    list.getAsJsonArray("members").forEach(m -> {
      String peer = m.getAsJsonObject().getAsJsonArray("peerURLs").get(0).getAsString();
      assertTrue(peer.startsWith("https://127.0.0.1:"), peer);
    });
  }

  @Test
  void etcdctlWithoutAClientCertificateIsRefused() {
    Etcdctl.Result noCert = new Etcdctl(endpoints).run("--cacert=" + pki.caFile(), "--dial-timeout=2s",
        "--command-timeout=4s", "get", "k");
    assertNotEquals(0, noCert.exitCode(), noCert.stdout());
    Etcdctl.Result plaintext = new Etcdctl(endpoints.replace("https://", "http://")).run("--dial-timeout=2s",
        "--command-timeout=4s", "get", "k");
    assertNotEquals(0, plaintext.exitCode(), plaintext.stdout());
    members.forEach(m -> assertTrue(m.isAlive(), "every member is still up"));
    etcdctl("get", "k").out();
  }

  @Test
  void grpcJavaClientOverMutualTls() {
    etcdctl("put", "from-etcdctl", "seen-by-java").out();
    for (int i = 0; i < 3; i++) {
      int port = Integer.parseInt(endpoints.split(",")[i].substring(endpoints.split(",")[i].lastIndexOf(':') + 1));
      ManagedChannel channel = TlsClients.channel("127.0.0.1", port, pki.caFile(), clientCertificate());
      try {
        String value = KVGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("from-etcdctl")).build())
            .getKvs(0).getValue().toStringUtf8();
        assertEquals("seen-by-java", value);
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
