package io.cairn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.config.TlsSettings;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.embed.LoopbackPorts;
import io.cairn.server.internal.MembersRequest;
import io.cairn.server.internal.RaftPeerGrpc;
import io.cairn.server.testing.TestPki;
import io.cairn.server.testing.TlsClients;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The finer TLS rules on one member: CRLs, the peer CN rule, and https:// metrics and client HTTP URLs. */
class TlsPoliciesTest {
  @TempDir
  Path dir;
  TestPki pki;
  TestPki.Issued server;
  TestPki.Issued client;

  @BeforeEach
  void pki() {
    pki = TestPki.create(dir.resolve("pki"), "etcd");
    server = pki.issue("server", "etcd-peer");
    client = pki.issue("client", "client");
  }

  private TlsSettings.Builder side(String prefix) {
    return TlsSettings.builder(prefix).certFile(server.certFile()).keyFile(server.keyFile())
        .trustedCaFile(pki.caFile()).clientCertAuth(true);
  }

  private static void call(ManagedChannel channel) {
    try {
      KVGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
    } finally {
      channel.shutdownNow();
    }
  }

  private static void assertRefused(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
  }

  @Test
  void revokedClientCertificatesAreRefusedAndTheCrlIsReadAtEachHandshake() {
    TestPki.Issued revoked = pki.issue("revoked", "revoked-client");
    Path crl = pki.crl(dir.resolve("pki").resolve("crl.pem"), revoked.certificate());
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(1).dataDir(dir.resolve("data"))
        .tls(side("").crlFile(crl).build(), TlsSettings.builder("peer-").build()).start()) {
      cluster.awaitLeader(Duration.ofSeconds(30));
      int port = cluster.config(0).listenClientUrls().get(0).getPort();
      call(TlsClients.channel("127.0.0.1", port, pki.caFile(), client));
      assertRefused(() -> call(TlsClients.channel("127.0.0.1", port, pki.caFile(), revoked)));
      pki.crl(crl, revoked.certificate(), client.certificate());
      assertRefused(() -> call(TlsClients.channel("127.0.0.1", port, pki.caFile(), client)));
    }
  }

  @Test
  void peersMustHaveTheAllowedCommonName() {
    TestPki.Issued wrongCn = pki.issue("intruder", "not-a-peer");
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(1).dataDir(dir.resolve("data"))
        .tls(TlsSettings.NONE, side("peer-").allowedCn("etcd-peer").build()).start()) {
      cluster.awaitLeader(Duration.ofSeconds(30));
      int peerPort = cluster.config(0).listenPeerUrls().get(0).getPort();
      assertEquals(1, members(peerPort, server));
      assertRefused(() -> members(peerPort, wrongCn));
    }
  }

  private int members(int peerPort, TestPki.Issued as) {
    ManagedChannel channel = TlsClients.channel("127.0.0.1", peerPort, pki.caFile(), as);
    try {
      return RaftPeerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .members(MembersRequest.getDefaultInstance()).getMembersCount();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void metricsAndClientHttpUrlsServeHttpsWithTheClientKeyPair() throws Exception {
    int[] ports = LoopbackPorts.take(2);
    URI metrics = URI.create("https://127.0.0.1:" + ports[0]);
    URI clientHttp = URI.create("https://127.0.0.1:" + ports[1]);
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(1).dataDir(dir.resolve("data"))
        .tls(side("").build(), TlsSettings.builder("peer-").build())
        .customize(b -> b.listenMetricsUrls(List.of(metrics)).listenClientHttpUrls(List.of(clientHttp))).start()) {
      cluster.awaitLeader(Duration.ofSeconds(30));
      for (URI url : List.of(metrics, clientHttp)) {
        assertTrue(get(url.resolve("/health"), client).contains("\"health\":\"true\""));
        assertTrue(get(url.resolve("/metrics"), client).contains("# TYPE"));
        assertThrows(IOException.class, () -> get(url.resolve("/health"), null), "a client certificate is required");
      }
    }
  }

  private String get(URI url, TestPki.Issued as) throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) new URL(url.toString()).openConnection();
    connection.setSSLSocketFactory(TlsClients.sslContext(pki.caFile(), as).getSocketFactory());
    connection.setConnectTimeout(20_000);
    connection.setReadTimeout(20_000);
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      connection.disconnect();
    }
  }
}
