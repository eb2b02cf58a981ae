package io.cairn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.config.TlsSettings;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.internal.MembersRequest;
import io.cairn.server.internal.RaftPeerGrpc;
import io.cairn.server.testing.TestPki;
import io.cairn.server.testing.TlsClients;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A 3-member in-process cluster with mutual TLS on the client and the peer side, all certificates
 * from one CA (kubeadm's layout): a client with a certificate that CA signed is served; a client
 * with none, one from another CA, an expired one, or no TLS at all fails its handshake and the
 * cluster goes on serving.
 */
class EmbeddedTlsTest {
  @TempDir
  static Path dir;
  static TestPki pki;
  static TestPki.Issued server;
  static TestPki.Issued client;
  static EmbeddedCluster cluster;

  @BeforeAll
  static void startCluster() {
    pki = TestPki.create(dir.resolve("pki"), "etcd");
    server = pki.issue("server", "member");
    client = pki.issue("client", "kube-apiserver-etcd-client");
    TlsSettings clientTls = TlsSettings.builder("").certFile(server.certFile()).keyFile(server.keyFile())
        .trustedCaFile(pki.caFile()).clientCertAuth(true).build();
    TlsSettings peerTls = TlsSettings.builder("peer-").certFile(server.certFile()).keyFile(server.keyFile())
        .trustedCaFile(pki.caFile()).clientCertAuth(true).build();
    cluster = EmbeddedCluster.builder(3).dataDir(dir.resolve("data")).tls(clientTls, peerTls).start();
    cluster.awaitLeader(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static URI clientUrl(int member) {
    return cluster.config(member).listenClientUrls().get(0);
  }

  private static <T> T withChannel(ManagedChannel channel, Function<KVGrpc.KVBlockingStub, T> call) {
    try {
      return call.apply(KVGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void clientWithCertificateFromTheCaIsServedOnEveryMember() {
    assertEquals("https", clientUrl(0).getScheme());
    withChannel(TlsClients.channel("127.0.0.1", clientUrl(0).getPort(), pki.caFile(), client),
        kv -> kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("tls"))
            .setValue(ByteString.copyFromUtf8("yes")).build()));
    for (int i = 0; i < 3; i++) {
      String value = withChannel(TlsClients.channel("127.0.0.1", clientUrl(i).getPort(), pki.caFile(), client),
          kv -> kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("tls")).build())
              .getKvs(0).getValue().toStringUtf8());
      assertEquals("yes", value);
    }
  }

  @Test
  void badClientsFailTheirHandshakeAndTheClusterGoesOn() {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    ch.qos.logback.classic.Logger failures = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(TlsFailureLog.class);
    failures.addAppender(logged);
    try {
      tryBadClients();
    } finally {
      failures.detachAppender(logged);
    }
    List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertFalse(lines.isEmpty(), "failed handshakes are logged");
    assertTrue(lines.size() <= TlsFailureLog.LINES_PER_WINDOW + 1, () -> "rate-limited, got " + lines);
    assertTrue(logged.list.stream().allMatch(e -> e.getThrowableProxy() == null), "no stack traces");
    assertTrue(lines.stream().anyMatch(l -> l.contains("CN=old-client") && l.contains("validity")), () -> lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("PRIVATE KEY")), "no key material");
  }

  private void tryBadClients() {
    TestPki other = TestPki.create(dir.resolve("other-pki"), "other");
    TestPki.Issued foreign = other.issue("foreign", "intruder");
    TestPki.Issued expired = pki.issue("expired", "old-client", Instant.now().minus(Duration.ofDays(10)),
        Instant.now().minus(Duration.ofDays(1)));
    int port = clientUrl(0).getPort();
    RangeRequest get = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("tls")).build();
    assertUnavailable(() -> withChannel(TlsClients.channel("127.0.0.1", port, pki.caFile(), null), kv -> kv.range(get)));
    assertUnavailable(() -> withChannel(TlsClients.channel("127.0.0.1", port, pki.caFile(), foreign), kv -> kv.range(get)));
    assertUnavailable(() -> withChannel(TlsClients.channel("127.0.0.1", port, pki.caFile(), expired), kv -> kv.range(get)));
    assertUnavailable(() -> withChannel(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(),
        kv -> kv.range(get)));
    // The server's certificate is not one the client trusts: the client refuses it.
    assertUnavailable(() -> withChannel(TlsClients.channel("127.0.0.1", port, other.caFile(), client), kv -> kv.range(get)));
    // Peers refuse a member whose certificate their CA did not sign.
    int peerPort = cluster.config(0).listenPeerUrls().get(0).getPort();
    ManagedChannel toPeer = TlsClients.channel("127.0.0.1", peerPort, pki.caFile(), foreign);
    try {
      assertUnavailable(() -> RaftPeerGrpc.newBlockingStub(toPeer).withDeadlineAfter(20, TimeUnit.SECONDS)
          .members(MembersRequest.getDefaultInstance()));
    } finally {
      toPeer.shutdownNow();
    }
    // A client retrying in a loop does not flood the log.
    for (int i = 0; i < 40; i++) {
      assertUnavailable(() -> withChannel(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(),
          kv -> kv.range(get)));
    }
    // Still serving.
    withChannel(TlsClients.channel("127.0.0.1", port, pki.caFile(), client), kv -> kv.range(get));
  }

  @Test
  void newConnectionsServeARotatedKeyPair() throws Exception {
    // Each member here serves the same files: rotate them and every member picks up the new pair.
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", clientUrl(1).getPort());
    X509Certificate before = TlsClients.servedCertificate(address, pki.caFile(), client);
    assertEquals(server.certificate().getSerialNumber(), before.getSerialNumber());
    ManagedChannel open = TlsClients.channel("127.0.0.1", address.getPort(), pki.caFile(), client);
    try {
      KVGrpc.newBlockingStub(open).withDeadlineAfter(20, TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("x")).build());
      TestPki.Issued renewed = pki.issue("server", "member"); // kubeadm certs renew: same paths, new pair
      X509Certificate after = TlsClients.servedCertificate(address, pki.caFile(), client);
      assertEquals(renewed.certificate().getSerialNumber(), after.getSerialNumber());
      assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
      // The peer listener serves the same files: it rotated too.
      InetSocketAddress peer = new InetSocketAddress("127.0.0.1", cluster.config(1).listenPeerUrls().get(0).getPort());
      assertEquals(renewed.certificate().getSerialNumber(),
          TlsClients.servedCertificate(peer, pki.caFile(), client).getSerialNumber());
      // The connection made before the rotation goes on working.
      KVGrpc.newBlockingStub(open).withDeadlineAfter(20, TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("x")).build());
    } finally {
      open.shutdownNow();
    }
    // Peers reconnecting use the new pair too: the cluster still commits.
    withChannel(TlsClients.channel("127.0.0.1", clientUrl(2).getPort(), pki.caFile(), client),
        kv -> kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("after-rotation")).build()));
  }

  private static void assertUnavailable(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertTrue(e.getStatus().getCode() == Status.Code.UNAVAILABLE, () -> "expected UNAVAILABLE, got " + e.getStatus());
  }
}
