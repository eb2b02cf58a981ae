package io.cairn.server.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.server.embed.EmbeddedCluster;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's hasleader contract on streams: when a member has had no leader for three election
 * timeouts, its Watch and LeaseKeepAlive streams opened with {@code hasleader: true} end with
 * "etcdserver: no leader"; streams without it stay open; a new one is refused at once.
 */
class LeaderLossTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;

  @Test
  void leaderRequiringStreamsEndWhenTheMemberLosesItsLeader() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(WAIT);
      int lonely = (leader + 1) % 3;
      String endpoint = cluster.clientEndpoint(lonely);
      ManagedChannel ch = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
      try (WatchStreamClient requiring = new WatchStreamClient(endpoint, true);
          WatchStreamClient plain = new WatchStreamClient(endpoint, false)) {
        requiring.create(WatchCreateRequest.newBuilder().setKey(WatchStreamClient.bytes("x")).build());
        plain.create(WatchCreateRequest.newBuilder().setKey(WatchStreamClient.bytes("x")).build());
        assertTrue(requiring.next(WAIT).getCreated());
        assertTrue(plain.next(WAIT).getCreated());
        CompletableFuture<Throwable> keepAliveEnded = new CompletableFuture<>();
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
        StreamObserver<LeaseKeepAliveRequest> keepAlive = LeaseGrpc.newStub(ch)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
            .leaseKeepAlive(new StreamObserver<LeaseKeepAliveResponse>() {
              @Override
              public void onNext(LeaseKeepAliveResponse r) {
              }

              @Override
              public void onError(Throwable t) {
                keepAliveEnded.complete(t);
              }

              @Override
              public void onCompleted() {
                keepAliveEnded.complete(null);
              }
            });
        keepAlive.onNext(LeaseKeepAliveRequest.newBuilder().setID(1).build());

        for (int i = 0; i < 3; i++) {
          if (i != lonely) {
            cluster.stop(i);
          }
        }
        WatchStreamClient.Received end = requiring.poll(WAIT);
        while (end != null && !end.ended()) {
          end = requiring.poll(WAIT);
        }
        assertTrue(end != null && end.ended(), "the hasleader watch stream ended");
        Status status = Status.fromThrowable(end.error());
        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertEquals("etcdserver: no leader", status.getDescription());

        Status keepAliveStatus = Status.fromThrowable(keepAliveEnded.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Status.Code.UNAVAILABLE, keepAliveStatus.getCode());
        assertEquals("etcdserver: no leader", keepAliveStatus.getDescription());

        assertNull(plain.poll(Duration.ofMillis(300)), "a stream without hasleader stays open");

        try (WatchStreamClient late = new WatchStreamClient(endpoint, true)) {
          late.create(WatchCreateRequest.newBuilder().setKey(WatchStreamClient.bytes("x")).build());
          WatchStreamClient.Received refused = late.poll(WAIT);
          assertTrue(refused != null && refused.ended(), "a new hasleader stream is refused");
          assertEquals("etcdserver: no leader", Status.fromThrowable(refused.error()).getDescription());
        }
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
