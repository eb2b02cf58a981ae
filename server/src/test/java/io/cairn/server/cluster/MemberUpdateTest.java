package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.ClusterClient;
import io.cairn.server.testing.EtcdClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MemberUpdate moves a member to a new peer URL: the others drop their connection to the old URL
 * and reach the member, restarted on the new one, there (the old port has nobody listening).
 */
class MemberUpdateTest {
  private static final Duration ELECTION = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void membersFollowAPeerUrlUpdate() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int follower = (leader + 1) % 3;
      URI moved = cluster.movePeerUrl(follower);
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(leader))) {
        assertEquals(List.of(moved.toString()), admin.find(cluster.idOf(follower)).getPeerURLsList());
      }
      write(cluster, "after-follower-moved");
      MemberJoinTest.awaitCaughtUp(cluster, follower);

      // The leader moves too: the followers must answer it at its new URL.
      int movedLeader = cluster.awaitLeader(ELECTION);
      cluster.movePeerUrl(movedLeader);
      write(cluster, "after-leader-moved");
      for (int i = 0; i < 3; i++) {
        MemberJoinTest.awaitCaughtUp(cluster, i);
      }
    }
  }

  private static void write(EmbeddedCluster cluster, String key) {
    try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(cluster.awaitLeader(ELECTION)))) {
      c.put(key, "1");
    }
  }
}
