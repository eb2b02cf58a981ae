package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.etcdserverpb.Member;
import io.cairn.server.CairnServer;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.InitialClusterState;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.embed.LoopbackPorts;
import io.cairn.storage.wal.Wal;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Await;
import io.cairn.server.testing.ClusterClient;
import io.cairn.server.testing.EtcdClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime member add, then the new member joining with {@code --initial-cluster-state existing}:
 * it learns its id from the running members, catches up (by replication, or by snapshot when the
 * leader's log is compacted) and then takes part in the quorum.
 */
class MemberJoinTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration ELECTION = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void addedMemberJoinsCatchesUpAndVotes() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        for (int i = 0; i < 50; i++) {
          c.put("before-" + i, "v" + i);
        }
      }
      int joiner = cluster.addMember(false);
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(leader))) {
        assertEquals(4, admin.list().size());
        Member added = admin.list().stream().filter(m -> m.getName().isEmpty()).findFirst().orElseThrow();
        assertEquals(cluster.config(joiner).initialAdvertisePeerUrls().get(0).toString(), added.getPeerURLs(0));
        assertEquals(0, added.getClientURLsCount(), "an added member has no client URLs until it starts");
        assertFalse(added.getIsLearner());

        cluster.start(joiner);
        CairnServer joined = cluster.member(joiner);
        assertEquals(added.getID(), joined.member().memberId(), "the joiner found its id by its peer URLs");
        assertEquals(cluster.member(leader).member().clusterId(), joined.member().clusterId());
        awaitCaughtUp(cluster, joiner);
        Await.until(WAIT, () -> admin.find(added.getID()).getName().equals(cluster.config(joiner).name()),
            "the joiner published its name");
        assertEquals(cluster.config(joiner).advertiseClientUrls().get(0).toString(),
            admin.find(added.getID()).getClientURLs(0));
      }
      assertEquals(0, cluster.member(joiner).member().installedSnapshots(), "caught up by replication");
      assertTrue(cluster.member(leader).member().status().confState().voters().contains(cluster.idOf(joiner)));

      // With 4 voters the quorum is 3: losing the leader, the two remaining original members
      // can elect a new leader and commit only with the joiner's vote and acknowledgement.
      cluster.stop(leader);
      int newLeader = cluster.awaitLeader(ELECTION);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(newLeader))) {
        c.put("after-leader-loss", "1");
      }
      awaitCaughtUp(cluster, joiner);
      try (EtcdClient onJoiner = new EtcdClient(cluster.clientEndpoint(joiner))) {
        assertEquals("1", onJoiner.getSerializable("after-leader-loss").getKvs(0).getValue().toStringUtf8());
        assertEquals("v7", onJoiner.getSerializable("before-7").getKvs(0).getValue().toStringUtf8());
      }

      // The joined member restarts from its own data directory like any other.
      cluster.stop(joiner);
      cluster.start(joiner);
      awaitCaughtUp(cluster, joiner);
    }
  }

  @Test
  void addedMemberCatchesUpBySnapshotWhenTheLogIsCompacted() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).snapshotCount(50).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        for (int i = 0; i < 400; i++) {
          c.put("key-" + (i % 40), "value-" + i);
        }
      }
      int joiner = cluster.addMember(false);
      cluster.start(joiner);
      awaitCaughtUp(cluster, joiner);
      Await.until(WAIT, () -> cluster.member(joiner).member().installedSnapshots() > 0,
          "the joiner finished installing the leader's snapshot");
      try (EtcdClient onJoiner = new EtcdClient(cluster.clientEndpoint(joiner))) {
        assertEquals("value-399", onJoiner.getSerializable("key-39").getKvs(0).getValue().toStringUtf8());
        onJoiner.put("through-joiner", "1");
      }
      awaitCaughtUp(cluster, joiner);
    }
  }

  @Test
  void joinerRestartedBeforeAnythingReachedItAsksForTheMembershipAgain() throws java.io.IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int joiner = cluster.addMember(false);
      // Nothing reaches the joiner: it starts, creates its raft log, and stops with no membership
      // applied (only the in-memory list it was given, gone with the process).
      cluster.isolate(joiner);
      cluster.start(joiner);
      assertEquals(0, cluster.member(joiner).member().status().appliedIndex());
      cluster.stop(joiner);
      assertTrue(Wal.exists(cluster.config(joiner).walDir()));
      cluster.heal();
      // Restarted from its raft log, it asks the running members for the list again, so it can
      // answer the leader and catch up.
      cluster.start(joiner);
      awaitCaughtUp(cluster, joiner);
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        c.put("after-rejoin", "1");
      }
      awaitCaughtUp(cluster, joiner);
    }
  }

  @Test
  void joiningWithoutMemberAddIsRefusedNamingTheFlag() throws java.io.IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      cluster.awaitLeader(ELECTION);
      int[] ports = LoopbackPorts.take(2);
      URI peer = URI.create("http://127.0.0.1:" + ports[1]);
      Map<String, List<URI>> initial = new LinkedHashMap<>(cluster.config(0).initialCluster());
      initial.put("stranger", List.of(peer));
      ServerConfig config = ServerConfig.builder().name("stranger").dataDir(dir.resolve("stranger"))
          .listenClientUrls(List.of(URI.create("http://127.0.0.1:" + ports[0])))
          .advertiseClientUrls(List.of(URI.create("http://127.0.0.1:" + ports[0])))
          .listenPeerUrls(List.of(peer)).initialAdvertisePeerUrls(List.of(peer))
          .initialCluster(initial).initialClusterState(InitialClusterState.EXISTING)
          .heartbeatInterval(Duration.ofMillis(20)).electionTimeout(Duration.ofMillis(300))
          .walSegmentBytes(4L * 1024 * 1024).build();
      ConfigException refused = assertThrows(ConfigException.class,
          () -> CairnServer.start(config, (what, cause) -> { }).close());
      assertTrue(refused.getMessage().startsWith("--initial-advertise-peer-urls: member has not been added to the "
          + "cluster; run etcdctl member add first"), refused.getMessage());
      assertFalse(Wal.exists(config.walDir()), "a refused join writes no raft log, so it can be retried");
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(0))) {
        assertEquals(3, admin.list().size());
      }
    }
  }

  /**
   * Waits until member {@code index}'s raft status shows {@code voters} voters. The member that
   * answered a change shows it at once; the others show it when they apply it.
   */
  static void awaitVoterCount(EmbeddedCluster cluster, int index, int voters) {
    Await.until(WAIT, () -> cluster.member(index).member().status().confState().voters().size() == voters,
        () -> "member " + cluster.config(index).name() + " has " + voters + " voters (has "
            + cluster.member(index).member().status().confState() + ")");
  }

  /** Waits until member {@code index} holds what the leader holds: same revision and HashKV. */
  static void awaitCaughtUp(EmbeddedCluster cluster, int index) {
    Await.until(WAIT, () -> {
      CairnServer leader = cluster.member(cluster.awaitLeader(ELECTION));
      CairnServer member = cluster.member(index);
      long revision = leader.store().currentRevision();
      return member.store().currentRevision() == revision
          && member.member().status().appliedIndex() >= leader.member().status().appliedIndex()
          && member.store().hashKv(revision).equals(leader.store().hashKv(revision));
    }, "member " + cluster.config(index).name() + " has the leader's revision and HashKV");
  }
}
