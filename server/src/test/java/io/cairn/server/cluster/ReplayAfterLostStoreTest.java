package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MVCC store runs without its own WAL: after a crash it may have lost everything since its
 * last flush, and the member rebuilds it by replaying the raft log. Deleting the store's files
 * between a stop and a start is the extreme case of that loss.
 */
class ReplayAfterLostStoreTest {
  @TempDir Path dir;

  @Test
  void memberRebuildsItsStoreFromTheRaftLog() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(10));
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        for (int i = 0; i < 100; i++) {
          c.put("k" + i, "v" + i);
        }
      }
      cluster.stop(leader);
      EmbeddedCluster.deleteRecursively(cluster.config(leader).backendDir());
      cluster.start(leader);
      cluster.awaitLeader(Duration.ofSeconds(10));
      for (int i = 0; i < 3; i++) {
        try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(i))) {
          assertEquals("v99", c.get("k99").getKvs(0).getValue().toStringUtf8(), "member " + i);
          assertEquals("v7", c.getSerializable("k7").getKvs(0).getValue().toStringUtf8(), "member " + i);
        }
      }
    }
  }
}
