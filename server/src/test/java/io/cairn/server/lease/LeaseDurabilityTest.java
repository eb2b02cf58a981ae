package io.cairn.server.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.LeaseStatus;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.CairnServer;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases and their attached keys survive a restart and a follower's snapshot install. */
class LeaseDurabilityTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + WAIT);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void leaseAndKeysSurviveARestartAndStillExpire() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(1).dataDir(dir).start()) {
      cluster.awaitLeader(WAIT);
      long id;
      try (EtcdClient kv = new EtcdClient(cluster.clientEndpoint(0))) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientEndpoint(0)).usePlaintext().build();
        id = LeaseGrpc.newBlockingStub(ch).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(3).build()).getID();
        kv.kv.put(PutRequest.newBuilder().setKey(b("d/a")).setLease(id).build());
        kv.kv.put(PutRequest.newBuilder().setKey(b("d/b")).setLease(id).build());
        ch.shutdownNow();
      }
      cluster.stop(0);
      cluster.start(0);
      long restarted = System.nanoTime();
      cluster.awaitLeader(WAIT);
      ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientEndpoint(0)).usePlaintext().build();
      try (EtcdClient kv = new EtcdClient(cluster.clientEndpoint(0))) {
        LeaseTimeToLiveResponse ttl = LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
        assertEquals(3, ttl.getGrantedTTL());
        assertEquals(List.of(b("d/a"), b("d/b")), ttl.getKeysList());
        await(() -> kv.get("d/a").getCount() == 0, "the restarted leader expired the lease");
        long expired = System.nanoTime();
        assertTrue(expired - restarted >= Duration.ofSeconds(3).toNanos(),
            "a restarted leader gives a full TTL: expired " + (expired - restarted) / 1e9 + " s after the restart");
        assertEquals(0, kv.get("d/b").getCount(), "both attached keys went");
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void followerThatInstalledASnapshotKnowsLeasesAndRevokesTheirKeys() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).snapshotCount(50).start()) {
      int leader = cluster.awaitLeader(WAIT);
      int follower = (leader + 1) % 3;
      cluster.stop(follower);
      long id;
      ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientEndpoint(leader)).usePlaintext().build();
      try (EtcdClient kv = new EtcdClient(cluster.clientEndpoint(leader))) {
        id = LeaseGrpc.newBlockingStub(ch).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(120).build()).getID();
        for (int i = 0; i < 3; i++) {
          kv.kv.put(PutRequest.newBuilder().setKey(b("s/" + i)).setLease(id).build());
        }
        for (int i = 0; i < 300; i++) {
          kv.put("filler/" + (i % 20), "v" + i);
        }
      } finally {
        ch.shutdownNow();
      }
      cluster.start(follower);
      CairnServer back = cluster.member(follower);
      await(() -> back.store().currentRevision() == cluster.member(leader).store().currentRevision(),
          "the follower caught up");
      // The installer counts an install once its cleanup is done, just after the applied index moved.
      await(() -> back.member().installedSnapshots() > 0, "the follower caught up by installing a snapshot");
      ManagedChannel onFollower = NettyChannelBuilder.forTarget(cluster.clientEndpoint(follower)).usePlaintext().build();
      try (EtcdClient kv = new EtcdClient(cluster.clientEndpoint(follower))) {
        List<Long> ids = LeaseGrpc.newBlockingStub(onFollower).leaseLeases(LeaseLeasesRequest.getDefaultInstance())
            .getLeasesList().stream().map(LeaseStatus::getID).toList();
        assertTrue(ids.contains(id), "the follower's own lease list has the lease: " + ids);
        LeaseGrpc.newBlockingStub(onFollower).withDeadlineAfter(10, TimeUnit.SECONDS)
            .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());
        await(() -> back.store().range(RangeRequest.newBuilder().setKey(b("s/")).setRangeEnd(b("s0")).build()).getCount() == 0,
            "the revoke deleted the attached keys on the follower too");
        // The revoke answered once it applied on the follower that proposed it; the leader applies
        // it on its own thread, possibly a moment later.
        await(() -> back.store().currentRevision() == cluster.member(leader).store().currentRevision(),
            "the leader applied the revoke too");
        kv.put("after", "1");
      } finally {
        onFollower.shutdownNow();
      }
    }
  }
}
