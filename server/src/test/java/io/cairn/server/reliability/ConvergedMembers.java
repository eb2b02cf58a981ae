package io.cairn.server.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.HashKVResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The check every hostile-input test ends with: every member still serves, and all hold the same data. */
final class ConvergedMembers {
  private ConvergedMembers() {}

  /**
   * Asserts that each member answers a linearizable read (so it is up and has applied everything
   * committed before the read) and that all report the same HashKV at the same revision.
   */
  static void assertAllServeTheSameData(EmbeddedCluster cluster) {
    List<Long> revisions = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(i))) {
        revisions.add(c.kvWithDeadline().range(RangeRequest.newBuilder()
            .setKey(EtcdClient.bytes("\0")).build()).getHeader().getRevision());
      }
    }
    long revision = revisions.stream().mapToLong(Long::longValue).min().orElseThrow();
    List<Long> hashes = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(i))) {
        HashKVResponse hash = c.maintenance.hashKV(HashKVRequest.newBuilder().setRevision(revision).build());
        hashes.add((long) hash.getHash());
      }
    }
    for (int i = 1; i < hashes.size(); i++) {
      assertEquals(hashes.get(0), hashes.get(i), "HashKV at revision " + revision + " of member " + i
          + " vs member 0 (revisions seen " + revisions + ")");
    }
  }

  /** Stops every member, then starts them all again: each replays its log of whatever was committed. */
  static void restartAll(EmbeddedCluster cluster) {
    for (int i = 0; i < cluster.size(); i++) {
      cluster.stop(i);
    }
    for (int i = 0; i < cluster.size(); i++) {
      cluster.start(i);
    }
    cluster.awaitLeader(Duration.ofSeconds(10));
  }
}
