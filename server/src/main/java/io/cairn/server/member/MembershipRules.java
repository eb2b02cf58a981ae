package io.cairn.server.member;

import io.cairn.api.EtcdError;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import java.util.List;

/**
 * etcd's checks of a membership change against the current membership, as pure functions (the
 * rules of etcd's {@code ValidateConfigurationChange} and of {@code --strict-reconfig-check}).
 * Each check throws the {@link EtcdError} etcd answers with, so a refused change never reaches the
 * raft log.
 *
 * <p>A member counts as "started" once it has published its name (a member added at run time has
 * none until its process starts and publishes it), as in etcd.
 */
final class MembershipRules {
  /** etcd allows one learner at a time. */
  static final int MAX_LEARNERS = 1;
  /** etcd's readyPercent: a learner may be promoted once its log reaches 90% of the leader's. */
  static final double LEARNER_READY_FRACTION = 0.9;

  private MembershipRules() {}

  static MemberAttributes find(ClusterMembers members, long id) {
    for (MemberAttributes m : members.getMembersList()) {
      if (m.getId() == id) {
        return m;
      }
    }
    return null;
  }

  static void checkAdd(ClusterMembers members, long id, List<String> peerUrls, boolean learner) {
    if (members.getRemovedIdsList().contains(id)) {
      throw EtcdError.MEMBER_NOT_FOUND.exception(); // etcd's ErrIDRemoved answers as "member not found"
    }
    if (find(members, id) != null) {
      throw EtcdError.MEMBER_EXISTS.exception();
    }
    checkPeerUrlsFree(members, 0, peerUrls);
    if (learner && learners(members) + 1 > MAX_LEARNERS) {
      throw EtcdError.TOO_MANY_LEARNERS.exception();
    }
  }

  static MemberAttributes checkRemove(ClusterMembers members, long id) {
    MemberAttributes m = find(members, id);
    if (m == null) {
      throw EtcdError.MEMBER_NOT_FOUND.exception();
    }
    if (!m.getIsLearner() && voters(members) == 1) {
      // Raft keeps at least one voter; etcd's strict check refuses it the same way.
      throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
    }
    return m;
  }

  static MemberAttributes checkUpdate(ClusterMembers members, long id, List<String> peerUrls) {
    MemberAttributes m = find(members, id);
    if (m == null) {
      throw EtcdError.MEMBER_NOT_FOUND.exception();
    }
    checkPeerUrlsFree(members, id, peerUrls);
    return m;
  }

  static MemberAttributes checkPromote(ClusterMembers members, long id) {
    MemberAttributes m = find(members, id);
    if (m == null) {
      throw EtcdError.MEMBER_NOT_FOUND.exception();
    }
    if (!m.getIsLearner()) {
      throw EtcdError.MEMBER_NOT_LEARNER.exception();
    }
    return m;
  }

  /** etcd's {@code isLearnerReady}: the learner's match index is within 10% of the leader's. */
  static void checkLearnerInSync(long learnerMatch, long leaderMatch) {
    if (learnerMatch < leaderMatch * LEARNER_READY_FRACTION) {
      throw EtcdError.LEARNER_NOT_READY.exception();
    }
  }

  /**
   * etcd's {@code IsReadyToAddVotingMember}: the started voters must still be a quorum of the
   * grown cluster (adding a second voter to a one-member cluster is always allowed).
   */
  static boolean readyToAddVoter(ClusterMembers members) {
    int started = startedVoters(members, 0);
    int after = voters(members) + 1;
    if (started == 1 && after == 2) {
      return true;
    }
    return started >= after / 2 + 1;
  }

  /** etcd's {@code IsReadyToRemoveVotingMember}: the other started voters are a quorum after it. */
  static boolean readyToRemoveVoter(ClusterMembers members, long id) {
    int after = voters(members) - 1;
    return startedVoters(members, id) >= after / 2 + 1;
  }

  /** etcd's {@code IsReadyToPromoteMember}: counting the learner as started, a quorum is started. */
  static boolean readyToPromote(ClusterMembers members) {
    int after = voters(members) + 1;
    return startedVoters(members, 0) + 1 >= after / 2 + 1;
  }

  /** The quorum of a cluster of {@code voters} voters. */
  static int quorum(int voters) {
    return voters / 2 + 1;
  }

  static int voters(ClusterMembers members) {
    return (int) members.getMembersList().stream().filter(m -> !m.getIsLearner()).count();
  }

  private static int learners(ClusterMembers members) {
    return (int) members.getMembersList().stream().filter(MemberAttributes::getIsLearner).count();
  }

  private static int startedVoters(ClusterMembers members, long except) {
    return (int) members.getMembersList().stream()
        .filter(m -> !m.getIsLearner() && m.getId() != except && !m.getName().isEmpty()).count();
  }

  /** No member other than {@code self} may already use any of {@code peerUrls}. */
  private static void checkPeerUrlsFree(ClusterMembers members, long self, List<String> peerUrls) {
    for (MemberAttributes m : members.getMembersList()) {
      if (m.getId() == self) {
        continue;
      }
      for (String url : peerUrls) {
        if (m.getPeerUrlsList().contains(url)) {
          throw EtcdError.PEER_URL_EXISTS.exception();
        }
      }
    }
  }
}
