package io.cairn.server.auth;

import static io.cairn.server.auth.AuthTestClient.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.etcdserverpb.AuthStatusRequest;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.cairn.server.CairnServer;
import io.cairn.server.config.AuthSettings;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth state on a 3-member cluster: replicated to every member, enforced by each, carried by a
 * raft snapshot to a follower that was down while the log was compacted, and kept across
 * restarts of every member.
 */
class AuthReplicationTest {
  private static final Duration ELECTION = Duration.ofSeconds(10);
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final String DENIED = "PERMISSION_DENIED: etcdserver: permission denied";
  private static final String AUTH_FAILED = "INVALID_ARGUMENT: etcdserver: authentication failed, invalid user ID or password";

  @TempDir Path dir;

  @Test
  void authStateIsReplicatedSurvivesRestartsAndTravelsInSnapshots() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).snapshotCount(50)
        .customize(b -> b.auth(AuthSettings.parse("simple", 300, 4))).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      try (AuthTestClient c = new AuthTestClient(cluster.clientEndpoint(leader))) {
        c.setUpRootAndAlice("rootpw", "alicepw");
      }
      awaitSameAuthRevision(cluster);
      for (int i = 0; i < 3; i++) {
        try (AuthTestClient c = new AuthTestClient(cluster.clientEndpoint(i))) {
          String alice = c.authenticate("alice", "alicepw");
          c.put(alice, "app/" + i, "v" + i);
          assertEquals(DENIED, outcome(() -> c.put(alice, "other", "x")), "member " + i);
          assertEquals("INVALID_ARGUMENT: etcdserver: user name is empty", outcome(() -> c.get(null, "app/0")));
          assertTrue(c.auth(null).authStatus(AuthStatusRequest.getDefaultInstance()).getEnabled());
        }
      }
      // A simple token is registered by every member when its entry applies (etcd's semantics).
      try (AuthTestClient on0 = new AuthTestClient(cluster.clientEndpoint(0));
          AuthTestClient on1 = new AuthTestClient(cluster.clientEndpoint(1))) {
        String token = on0.authenticate("alice", "alicepw");
        Await.until(CATCH_UP, () -> "OK".equals(outcome(() -> on1.get(token, "app/0"))), "member 1 knows member 0's token");
      }

      // A follower down while the password changes and the log is compacted catches up by snapshot.
      int follower = (leader + 1) % 3;
      cluster.stop(follower);
      try (AuthTestClient c = new AuthTestClient(cluster.clientEndpoint(leader))) {
        String root = c.authenticate("root", "rootpw");
        c.auth(root).userChangePassword(AuthUserChangePasswordRequest.newBuilder().setName("alice")
            .setPassword("newpw").build());
        for (int i = 0; i < 200; i++) {
          c.put(root, "filler/" + (i % 20), "x" + i);
        }
      }
      cluster.start(follower);
      CairnServer caughtUp = cluster.member(follower);
      Await.until(CATCH_UP, () -> caughtUp.member().installedSnapshots() > 0, "the follower installed a snapshot");
      awaitSameAuthRevision(cluster);
      try (AuthTestClient c = new AuthTestClient(cluster.clientEndpoint(follower))) {
        assertEquals(AUTH_FAILED, outcome(() -> c.authenticate("alice", "alicepw")));
        String alice = c.authenticate("alice", "newpw");
        assertEquals("v0", c.get(alice, "app/0"));
        assertEquals(DENIED, outcome(() -> c.get(alice, "filler/1")));
      }

      // Every member restarts: auth is still on, with the same users.
      for (int i = 0; i < 3; i++) {
        cluster.stop(i);
      }
      for (int i = 0; i < 3; i++) {
        cluster.start(i);
      }
      cluster.awaitLeader(ELECTION);
      awaitSameAuthRevision(cluster);
      for (int i = 0; i < 3; i++) {
        try (AuthTestClient c = new AuthTestClient(cluster.clientEndpoint(i))) {
          assertTrue(c.auth(null).authStatus(AuthStatusRequest.getDefaultInstance()).getEnabled());
          assertEquals("INVALID_ARGUMENT: etcdserver: user name is empty", outcome(() -> c.put(null, "app/x", "1")));
          String alice = c.authenticate("alice", "newpw");
          assertEquals("v" + i, c.get(alice, "app/" + i));
        }
      }
    }
  }

  private static void awaitSameAuthRevision(EmbeddedCluster cluster) {
    Await.until(CATCH_UP, () -> {
      long first = -1;
      for (int i = 0; i < 3; i++) {
        try (AuthTestClient c = new AuthTestClient(cluster.clientEndpoint(i))) {
          long r = c.auth(null).authStatus(AuthStatusRequest.getDefaultInstance()).getAuthRevision();
          if (first >= 0 && r != first) {
            return false;
          }
          first = r;
        }
      }
      return true;
    }, "every member reached the same auth revision");
  }
}
