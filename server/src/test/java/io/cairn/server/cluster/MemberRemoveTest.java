package io.cairn.server.cluster;

import static io.cairn.server.cluster.LearnerPromoteTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.MemberRemoveResponse;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Await;
import io.cairn.server.testing.ClusterClient;
import io.cairn.server.testing.EtcdClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing members at run time: a follower, the leader itself, and the strict reconfiguration
 * check refusing a removal that would leave no working quorum.
 */
class MemberRemoveTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration ELECTION = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void removedFollowerStopsAndTheRestCarryOn() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int follower = (leader + 1) % 3;
      long followerId = cluster.idOf(follower);
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(leader))) {
        MemberRemoveResponse removed = admin.remove(followerId);
        assertEquals(2, removed.getMembersCount());
        assertFalse(removed.getMembersList().stream().anyMatch(m -> m.getID() == followerId));
        Await.until(WAIT, () -> cluster.member(follower) == null, "the removed follower stopped");
        assertError(EtcdError.MEMBER_NOT_FOUND, () -> admin.remove(followerId));
      }
      awaitWritable(cluster, List.of(leader, (leader + 2) % 3));
    }
  }

  @Test
  void followerRemovedThroughItsOwnEndpointAnswersThenStops() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int follower = (leader + 1) % 3;
      long followerId = cluster.idOf(follower);
      try (ClusterClient self = new ClusterClient(cluster.clientEndpoint(follower))) {
        long started = System.nanoTime();
        MemberRemoveResponse removed = self.remove(followerId);
        assertFalse(removed.getMembersList().stream().anyMatch(m -> m.getID() == followerId));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(2)) < 0,
            "answered without waiting for a timeout");
      }
      Await.until(WAIT, () -> cluster.member(follower) == null, "the removed follower stopped");
      awaitWritable(cluster, List.of(leader, (leader + 2) % 3));
    }
  }

  @Test
  void removedLeaderStepsDownAndStops() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      long leaderId = cluster.idOf(leader);
      int follower = (leader + 1) % 3;
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(follower))) {
        MemberRemoveResponse removed = admin.remove(leaderId);
        assertFalse(removed.getMembersList().stream().anyMatch(m -> m.getID() == leaderId));
      }
      Await.until(WAIT, () -> cluster.member(leader) == null, "the removed leader stopped");
      List<Integer> rest = List.of(follower, (leader + 2) % 3);
      int newLeader = cluster.awaitLeaderAmong(rest, ELECTION);
      MemberJoinTest.awaitVoterCount(cluster, newLeader, 2);
      awaitWritable(cluster, rest);
    }
  }

  @Test
  void strictReconfigCheckRefusesARemovalThatLosesTheWorkingQuorum() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int down = (leader + 1) % 3;
      int up = (leader + 2) % 3;
      long downId = cluster.idOf(down);
      cluster.stop(down);
      Await.until(WAIT, () -> !cluster.member(leader).peerActivity().isActive(downId),
          "the leader no longer counts the stopped member active");
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(leader))) {
        // Leader and one follower are the whole working quorum: removing that follower would
        // leave a 2-voter cluster with one live voter.
        assertError(EtcdError.UNHEALTHY, () -> admin.remove(cluster.idOf(up)));
        assertEquals(3, admin.list().size(), "the refused removal changed nothing");
        // A voter that is down is not part of the working quorum: removing it is allowed.
        admin.remove(downId);
        assertEquals(2, admin.list().size());
      }
      awaitWritable(cluster, List.of(leader, up));
    }
  }

  /** A write through the leader among {@code members} commits and every one of them applies it. */
  private static void awaitWritable(EmbeddedCluster cluster, List<Integer> members) {
    int leader = cluster.awaitLeaderAmong(members, ELECTION);
    try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
      long revision = c.put("after-removal", "1").getHeader().getRevision();
      for (int i : members) {
        Await.until(WAIT, () -> cluster.member(i).store().currentRevision() >= revision,
            "member " + i + " applied the write after the removal");
      }
    }
  }
}
