package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.EtcdError;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Await;
import io.cairn.server.testing.ClusterClient;
import io.cairn.server.testing.EtcdClient;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member added as a learner receives the log without voting, and is promoted to voter only
 * once its log is in sync with the leader's (etcd's rule: within 90% of the leader's match index).
 */
class LearnerPromoteTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration ELECTION = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void learnerIsPromotedOnlyOnceInSync() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int follower = (leader + 1) % 3;
      int learner = cluster.addMember(true);
      // Through a follower: membership changes are sent on to the leader, which alone knows
      // how far the learner's log matches.
      try (ClusterClient admin = new ClusterClient(cluster.clientEndpoint(follower))) {
        // The add went through another member: a linearizable list includes it.
        long learnerId = admin.linearizableList().stream().filter(m -> m.getIsLearner()).findFirst().orElseThrow().getID();
        assertTrue(admin.find(learnerId).getName().isEmpty());

        // Never started, its log matches nothing of the leader's: refused, deterministically.
        assertError(EtcdError.LEARNER_NOT_READY, () -> admin.promote(learnerId));
        // etcd allows a single learner.
        assertError(EtcdError.TOO_MANY_LEARNERS, () -> admin.add("http://127.0.0.1:1", true));

        cluster.start(learner);
        MemberJoinTest.awaitCaughtUp(cluster, learner);
        int currentLeader = cluster.awaitLeader(ELECTION);
        assertTrue(cluster.member(currentLeader).member().status().confState().learners().contains(learnerId));
        assertFalse(cluster.member(currentLeader).member().status().confState().voters().contains(learnerId));
        assertTrue(cluster.member(learner).member().status().isLearner());
        try (EtcdClient onLearner = new EtcdClient(cluster.clientEndpoint(learner));
            ClusterClient learnerAdmin = new ClusterClient(cluster.clientEndpoint(learner))) {
          // A learner serves serializable reads and Status only, as etcd's learners do.
          assertTrue(onLearner.status().getIsLearner());
          assertEquals(0, onLearner.getSerializable("nothing-here").getCount());
          assertError(EtcdError.NOT_SUPPORTED_FOR_LEARNER, () -> onLearner.put("k", "v"));
          assertError(EtcdError.NOT_SUPPORTED_FOR_LEARNER, () -> onLearner.get("k"));
          assertError(EtcdError.NOT_SUPPORTED_FOR_LEARNER, learnerAdmin::list);
        }

        // Caught up: the promotion goes through once the leader has seen the learner's match.
        AtomicReference<StatusRuntimeException> last = new AtomicReference<>();
        Await.until(WAIT, () -> {
          try {
            admin.promote(learnerId);
            return true;
          } catch (StatusRuntimeException e) {
            assertTrue(EtcdError.LEARNER_NOT_READY.matches(e.getStatus()), e.getStatus().toString());
            last.set(e);
            return false;
          }
        }, () -> "the caught-up learner was promoted (last refusal: " + last.get() + ")");
        assertFalse(admin.find(learnerId).getIsLearner());
        Await.until(WAIT, () -> cluster.member(learner).member().status().confState().voters().contains(learnerId),
            "the promoted member sees itself a voter");
        MemberJoinTest.awaitVoterCount(cluster, cluster.awaitLeader(ELECTION), 4);
        assertError(EtcdError.MEMBER_NOT_LEARNER, () -> admin.promote(learnerId));
        try (EtcdClient onPromoted = new EtcdClient(cluster.clientEndpoint(learner))) {
          Await.until(WAIT, () -> !onPromoted.status().getIsLearner(), "the promoted member serves as a voter");
          onPromoted.put("through-promoted", "1");
          assertEquals("1", onPromoted.get("through-promoted").getKvs(0).getValue().toStringUtf8());
        }
      }
    }
  }

  @Test
  void aLearnerNeitherVotesNorCountsForTheQuorum() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int learner = cluster.addMember(true);
      cluster.start(learner);
      MemberJoinTest.awaitCaughtUp(cluster, learner);
      int survivor = (leader + 1) % 3;
      cluster.stop(leader);
      cluster.stop((leader + 2) % 3);
      // One voter of three plus the learner: two of four members run, but the voters' quorum is 2
      // of 3 and the learner's vote would not count, so no leader can be elected (with the
      // learner counted, one would be within a few 300 ms election timeouts).
      IllegalStateException noLeader = assertThrows(IllegalStateException.class,
          () -> cluster.awaitLeaderAmong(java.util.List.of(survivor, learner), Duration.ofSeconds(3)));
      assertTrue(noLeader.getMessage().startsWith("no leader"), noLeader.getMessage());
      assertTrue(cluster.member(learner).member().status().isLearner());
    }
  }

  static void assertError(EtcdError expected, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertTrue(expected.matches(e.getStatus()), "expected " + expected + ", got " + e.getStatus());
  }
}
