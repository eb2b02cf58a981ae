package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationTest {
  @TempDir Path dir;

  @Test
  void writesOnAnyMemberAreReadOnEveryMember() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(10));
      int follower = (leader + 1) % 3;
      try (EtcdClient onFollower = new EtcdClient(cluster.clientEndpoint(follower))) {
        long rev = onFollower.put("k", "v1").getHeader().getRevision();
        assertEquals(2, rev);
      }
      for (int i = 0; i < 3; i++) {
        try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(i))) {
          assertEquals("v1", c.get("k").getKvs(0).getValue().toStringUtf8(), "member " + i);
          assertEquals(2, c.get("k").getHeader().getRevision());
        }
      }
    }
  }
}
