package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real etcdctl against a 3-member Cairn cluster, through all three endpoints. */
class EtcdctlClusterTest {
  @TempDir Path dir;

  @Test
  void etcdctlSeesOneClusterThroughEveryEndpoint() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(10));
      int follower = (leader + 1) % 3;
      Etcdctl all = new Etcdctl(cluster.clientEndpoints());

      String status = all.run("endpoint", "status", "-w", "json").out();
      for (int i = 0; i < 3; i++) {
        assertTrue(status.contains(cluster.config(i).advertiseClientUrls().get(0).toString()), status);
      }
      // Every endpoint names the same leader, and exactly one says it is that leader.
      long leaderId = cluster.member(leader).member().memberId();
      assertEquals(3, count(status, "\"leader\":" + Long.toUnsignedString(leaderId)), status);

      Etcdctl onFollower = new Etcdctl(cluster.config(follower).advertiseClientUrls().get(0).toString());
      assertEquals("OK", onFollower.run("put", "written-on", "follower").out().trim());
      for (int i = 0; i < 3; i++) {
        Etcdctl one = new Etcdctl(cluster.config(i).advertiseClientUrls().get(0).toString());
        // Linearizable get on every member sees the write made through a follower.
        assertEquals("follower", one.run("get", "written-on", "--print-value-only").out().trim());
      }
      // A serializable read is served locally; once this member applied the write it sees it.
      Etcdctl leaderOnly = new Etcdctl(cluster.config(leader).advertiseClientUrls().get(0).toString());
      assertEquals("follower", leaderOnly.run("get", "written-on", "--consistency=s", "--print-value-only").out().trim());

      String members = all.run("member", "list").out();
      for (int i = 0; i < 3; i++) {
        assertTrue(members.contains(cluster.config(i).name()), members);
      }
      assertEquals(3, members.strip().split("\n").length, members);
      assertTrue(all.run("endpoint", "health").stderr().contains("is healthy")
          || all.run("endpoint", "health").stdout().contains("is healthy"));
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
