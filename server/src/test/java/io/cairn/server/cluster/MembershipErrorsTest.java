package io.cairn.server.cluster;

import static io.cairn.server.cluster.LearnerPromoteTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.Member;
import io.cairn.api.etcdserverpb.MemberAddResponse;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Await;
import io.cairn.server.testing.ClusterClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cluster service's refusals, with etcd's exact status and message, each leaving the
 * membership as it was; and a peer URL update.
 */
class MembershipErrorsTest {
  private static final Duration ELECTION = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void refusedChangesAnswerEtcdsErrorsAndChangeNothing() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int follower = (leader + 1) % 3;
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(leader))) {
        Await.until(Duration.ofSeconds(30), () -> admin.list().stream().allMatch(m -> m.getClientURLsCount() > 0),
            "every member published its client URLs");
      }
      for (int endpoint : List.of(leader, follower)) { // served by the leader, and sent on by a follower
        try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(endpoint))) {
          List<Member> before = admin.list();
          String takenUrl = cluster.config(follower).initialAdvertisePeerUrls().get(0).toString();
          assertError(EtcdError.PEER_URL_EXISTS, () -> admin.add(takenUrl, false));
          assertError(EtcdError.PEER_URL_EXISTS, () -> admin.add(takenUrl, true));
          assertError(EtcdError.MEMBER_BAD_URLS, () -> admin.add("not a url", false));
          assertError(EtcdError.MEMBER_BAD_URLS, () -> admin.add("http://127.0.0.1", false));
          assertError(EtcdError.MEMBER_NOT_FOUND, () -> admin.remove(0x1234));
          assertError(EtcdError.MEMBER_NOT_FOUND, () -> admin.promote(0x1234));
          assertError(EtcdError.MEMBER_NOT_FOUND, () -> admin.update(0x1234, "http://127.0.0.1:1"));
          assertError(EtcdError.MEMBER_NOT_LEARNER, () -> admin.promote(cluster.idOf(follower)));
          assertError(EtcdError.PEER_URL_EXISTS,
              () -> admin.update(cluster.idOf(leader), takenUrl));
          assertEquals(before, admin.list(), "refused changes left the membership as it was");
        }
      }
    }
  }

  @Test
  void withoutStrictReconfigCheckAnUnstartedVoterDoesNotBlockAnotherAdd() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir)
        .customize(b -> b.strictReconfigCheck(false)).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(leader))) {
        long first = admin.add("http://127.0.0.1:1", false).getMember().getID();
        // 4 voters, 3 running: still a quorum, so the second add commits; the membership rules
        // (here: peer URL exists) still apply.
        long second = admin.add("http://127.0.0.1:2", false).getMember().getID();
        assertEquals(5, admin.list().size());
        String running = cluster.config(leader).initialAdvertisePeerUrls().get(0).toString();
        assertError(EtcdError.PEER_URL_EXISTS, () -> admin.add(running, true));
        // 5 voters need 3: the three running members still make progress, and can shrink back.
        admin.remove(first);
        admin.remove(second);
        // The member that answered shows the new membership in its raft status at once.
        assertEquals(3, cluster.member(leader).member().status().confState().voters().size());
      }
    }
  }

  @Test
  void anUnstartedVoterBlocksFurtherVoterAddsAndCanBeUpdatedAndRemoved() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(leader))) {
        MemberAddResponse added = admin.add("http://127.0.0.1:1", false);
        long id = added.getMember().getID();
        assertEquals(List.of("http://127.0.0.1:1"), added.getMember().getPeerURLsList());
        assertEquals(4, added.getMembersCount());
        // Strict reconfiguration: a voter never heard from is not healthy, so no more voters.
        assertError(EtcdError.UNHEALTHY, () -> admin.add("http://127.0.0.1:2", false));

        List<Member> updated = admin.update(id, "http://127.0.0.1:3").getMembersList();
        Member after = updated.stream().filter(m -> m.getID() == id).findFirst().orElseThrow();
        assertEquals(List.of("http://127.0.0.1:3"), after.getPeerURLsList());
        assertEquals("", after.getName());

        // It is down (never started), so removing it cannot cost the working quorum.
        assertEquals(3, admin.remove(id).getMembersCount());
        assertEquals(3, cluster.member(leader).member().status().confState().voters().size());
      }
    }
  }
}
