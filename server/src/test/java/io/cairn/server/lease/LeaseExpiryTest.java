package io.cairn.server.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.watch.WatchStreamClient;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lease expiry timing on a 3-member cluster, measured by watches on every member: a TTL 5 lease
 * expires its key about 5 s after the grant and never before (the bound is the moment the client
 * sent the grant, which precedes the leader's clock start); after a leader change the new leader
 * gives every lease a full TTL again.
 */
class LeaseExpiryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** "About": the expiry tick (50 ms), raft commit and apply; generous for a loaded 2-core machine. */
  private static final Duration SLACK = Duration.ofSeconds(3);
  @TempDir Path dir;

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void ttlFiveExpiresOnEveryMemberAboutFiveSecondsLaterNotBefore() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      cluster.awaitLeader(WAIT);
      List<WatchStreamClient> watches = watchOnEveryMember(cluster, "exp/a");
      ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientEndpoint(0)).usePlaintext().build();
      try (EtcdClient kv = new EtcdClient(cluster.clientEndpoint(0))) {
        long sent = System.nanoTime();
        long id = LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(5).build()).getID();
        long granted = System.nanoTime();
        kv.kv.put(PutRequest.newBuilder().setKey(b("exp/a")).setLease(id).build());
        for (int i = 0; i < 3; i++) {
          long deletedAt = awaitDelete(watches.get(i));
          double sinceSent = (deletedAt - sent) / 1e9;
          System.out.printf("lease TTL 5: member %d saw the delete %.3f s after the grant was sent (%.3f s after its answer)%n",
              i, sinceSent, (deletedAt - granted) / 1e9);
          assertTrue(deletedAt - sent >= Duration.ofSeconds(5).toNanos(), "expired early on member " + i + ": " + sinceSent);
          assertTrue(deletedAt - sent <= Duration.ofSeconds(5).plus(SLACK).toNanos(), "expired late on member " + i + ": " + sinceSent);
        }
      } finally {
        ch.shutdownNow();
        watches.forEach(WatchStreamClient::close);
      }
    }
  }

  @Test
  void newLeaderRestartsTheClockSoNothingExpiresEarly() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(WAIT);
      int survivor = (leader + 1) % 3;
      ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientEndpoint(survivor)).usePlaintext().build();
      List<WatchStreamClient> watches = new ArrayList<>();
      try (EtcdClient kv = new EtcdClient(cluster.clientEndpoint(survivor))) {
        long id = LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(4).build()).getID();
        kv.kv.put(PutRequest.newBuilder().setKey(b("exp/b")).setLease(id).build());
        WatchStreamClient watch = new WatchStreamClient(cluster.clientEndpoint(survivor));
        watches.add(watch);
        watch.create(WatchCreateRequest.newBuilder().setKey(b("exp/b")).build());
        assertTrue(watch.next(WAIT).getCreated());
        long stopped = System.nanoTime();
        cluster.stop(leader);
        long deletedAt = awaitDelete(watch);
        double afterStop = (deletedAt - stopped) / 1e9;
        System.out.printf("lease TTL 4: deleted %.3f s after the old leader stopped%n", afterStop);
        assertTrue(deletedAt - stopped >= Duration.ofSeconds(4).toNanos(),
            "the new leader must give a full TTL from its election: deleted " + afterStop + " s after the stop");
      } finally {
        ch.shutdownNow();
        watches.forEach(WatchStreamClient::close);
      }
    }
  }

  private static List<WatchStreamClient> watchOnEveryMember(EmbeddedCluster cluster, String key) throws Exception {
    List<WatchStreamClient> watches = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      WatchStreamClient w = new WatchStreamClient(cluster.clientEndpoint(i));
      w.create(WatchCreateRequest.newBuilder().setKey(b(key)).addFilters(WatchCreateRequest.FilterType.NOPUT).build());
      assertTrue(w.next(WAIT).getCreated());
      watches.add(w);
    }
    return watches;
  }

  /** nanoTime at which the watch delivered a delete event. */
  private static long awaitDelete(WatchStreamClient watch) throws InterruptedException {
    while (true) {
      WatchResponse r = watch.next(WAIT);
      for (Event e : r.getEventsList()) {
        if (e.getType() == Event.EventType.DELETE) {
          return System.nanoTime();
        }
      }
      assertEquals(0, r.getEventsCount() - r.getEventsList().stream().filter(e -> e.getType() == Event.EventType.PUT).count());
    }
  }
}
