package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raft failure cases through the real server: member loss, partitions, slow members. */
class FaultToleranceTest {
  private static final Duration ELECTION = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void fiveMembersSurviveTwoFailuresIncludingTheLeader() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(5).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        c.put("before", "1");
      }
      int other = (leader + 1) % 5;
      cluster.stop(leader);
      cluster.stop(other);
      List<Integer> alive = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        if (i != leader && i != other) {
          alive.add(i);
        }
      }
      int newLeader = cluster.awaitLeaderAmong(alive, ELECTION);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(alive.get(0)))) {
        c.put("during", "2");
        assertEquals("1", c.get("before").getKvs(0).getValue().toStringUtf8());
      }
      cluster.start(leader);
      cluster.start(other);
      cluster.awaitLeader(ELECTION);
      long revision = revisionOn(cluster, newLeader);
      for (int i = 0; i < 5; i++) {
        try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(i))) {
          // A linearizable read on every member sees the write made while two were down.
          assertEquals("2", c.get("during").getKvs(0).getValue().toStringUtf8(), "member " + i);
        }
      }
      assertSameHash(cluster, revision);
    }
  }

  @Test
  void partitionedOldLeaderCannotCommitOrServeLinearizableReads() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int oldLeader = cluster.awaitLeader(ELECTION);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(oldLeader))) {
        c.put("k", "before");
      }
      cluster.isolate(oldLeader);
      List<Integer> majority = new ArrayList<>(List.of(0, 1, 2));
      majority.remove(Integer.valueOf(oldLeader));
      int newLeader = cluster.awaitLeaderAmong(majority, ELECTION);
      assertNotEquals(oldLeader, newLeader);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(newLeader))) {
        c.put("k", "after");
      }
      try (EtcdClient isolated = new EtcdClient(cluster.clientEndpoint(oldLeader))) {
        StatusRuntimeException read = assertThrows(StatusRuntimeException.class, () -> isolated.kv
            .withDeadlineAfter(1500, TimeUnit.MILLISECONDS)
            .range(RangeRequest.newBuilder().setKey(EtcdClient.bytes("k")).build()));
        assertTrue(read.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
            || read.getStatus().getCode() == Status.Code.UNAVAILABLE, read.toString());
        StatusRuntimeException write = assertThrows(StatusRuntimeException.class, () -> isolated.kv
            .withDeadlineAfter(1500, TimeUnit.MILLISECONDS)
            .put(io.cairn.api.etcdserverpb.PutRequest.newBuilder()
                .setKey(EtcdClient.bytes("k")).setValue(EtcdClient.bytes("lost")).build()));
        assertTrue(write.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
            || write.getStatus().getCode() == Status.Code.UNAVAILABLE, write.toString());
        // A serializable read is allowed to be stale: it is served locally.
        assertEquals("before", isolated.getSerializable("k").getKvs(0).getValue().toStringUtf8());
      }
      try (EtcdClient requireLeader = new EtcdClient(cluster.clientEndpoint(oldLeader), true)) {
        // With check-quorum the old leader steps down, so requests that require a leader fail fast.
        StatusRuntimeException noLeader = awaitNoLeaderError(requireLeader);
        assertTrue(EtcdError.NO_LEADER.matches(noLeader.getStatus()), noLeader.toString());
      }
      cluster.heal();
      cluster.awaitLeader(ELECTION);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(oldLeader))) {
        assertEquals("after", c.get("k").getKvs(0).getValue().toStringUtf8());
      }
    }
  }

  @Test
  void slowFollowerDoesNotBlockCommitsAndCatchesUp() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int slow = (leader + 1) % 3;
      cluster.slow(slow, Duration.ofMillis(40));
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        for (int i = 0; i < 50; i++) {
          c.put("key-" + i, "v" + i);
        }
      }
      cluster.heal();
      long revision = revisionOn(cluster, leader);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(slow))) {
        assertEquals("v49", c.get("key-49").getKvs(0).getValue().toStringUtf8());
      }
      assertSameHash(cluster, revision);
    }
  }

  private static StatusRuntimeException awaitNoLeaderError(EtcdClient client) {
    long deadline = System.nanoTime() + ELECTION.toNanos();
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        client.kv.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
            .range(RangeRequest.newBuilder().setKey(EtcdClient.bytes("k")).setSerializable(true).build());
      } catch (StatusRuntimeException e) {
        last = e;
        if (EtcdError.NO_LEADER.matches(e.getStatus())) {
          return e;
        }
      }
    }
    throw new AssertionError("the isolated member kept claiming a leader", last);
  }

  private static long revisionOn(EtcdClient c) {
    return c.get("any-key").getHeader().getRevision();
  }

  private static long revisionOn(EmbeddedCluster cluster, int index) {
    try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(index))) {
      return revisionOn(c);
    }
  }

  /** Every member's history up to {@code revision} hashes the same. */
  static void assertSameHash(EmbeddedCluster cluster, long revision) {
    Integer expected = null;
    for (int i = 0; i < cluster.size(); i++) {
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(i))) {
        c.get("any-key"); // linearizable: this member has applied at least up to revision
        int hash = c.maintenance.hashKV(HashKVRequest.newBuilder().setRevision(revision).build()).getHash();
        if (expected == null) {
          expected = hash;
        }
        assertEquals(expected, hash, "HashKV at revision " + revision + " on member " + i);
      }
    }
  }
}
