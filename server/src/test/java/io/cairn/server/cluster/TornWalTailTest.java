package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose raft log ends in a torn record (a crash in the middle of writing a record that
 * was never synced, so never acknowledged or applied) detects it, drops it instead of applying
 * it, and catches up from the leader.
 */
class TornWalTailTest {
  @TempDir Path dir;

  @Test
  void followerWithTornLogTailRecoversAndCatchesUp() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(10));
      int follower = (leader + 1) % 3;
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        for (int i = 0; i < 50; i++) {
          c.put("k" + i, "v" + i);
        }
      }
      cluster.stop(follower);
      appendTornRecord(cluster.config(follower).walDir());
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        c.put("after", "restart");
      }
      cluster.start(follower);
      cluster.awaitLeader(Duration.ofSeconds(10));
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(follower))) {
        assertEquals("restart", c.get("after").getKvs(0).getValue().toStringUtf8());
        assertEquals("v49", c.getSerializable("k49").getKvs(0).getValue().toStringUtf8());
      }
      long revision;
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        revision = c.get("none").getHeader().getRevision();
      }
      FaultToleranceTest.assertSameHash(cluster, revision);
    }
  }

  /** Writes the first bytes of a record after the last one in the newest segment: a torn write. */
  private static void appendTornRecord(Path walDir) throws Exception {
    Path last;
    try (Stream<Path> files = Files.list(walDir)) {
      List<Path> segments = files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
      last = segments.get(segments.size() - 1);
    }
    try (FileChannel ch = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer all = ByteBuffer.allocate((int) ch.size());
      ch.read(all, 0);
      int end = all.capacity() - 1;
      while (end >= 0 && all.get(end) == 0) {
        end--;
      }
      assertTrue(end > 16, "the segment holds records");
      // A length prefix announcing 300 bytes, a record type, and only part of the rest.
      byte[] torn = {0, 0, 1, 44, 2, 0x5a, 0x5a, 0x5a, 0x11, 0x22, 0x33};
      ch.write(ByteBuffer.wrap(torn), end + 1);
      ch.force(true);
    }
  }
}
