package io.cairn.server.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** etcd's membership rules on hand-built memberships (the cases a running cluster rarely reaches). */
class MembershipRulesTest {
  private static MemberAttributes member(long id, String name, boolean learner) {
    return MemberAttributes.newBuilder().setId(id).setName(name).setIsLearner(learner)
        .addPeerUrls("http://10.0.0." + id + ":2380").build();
  }

  private static ClusterMembers of(MemberAttributes... members) {
    return ClusterMembers.newBuilder().setClusterId(99).addAllMembers(List.of(members)).build();
  }

  private static void assertRefused(EtcdError expected, Executable check) {
    assertEquals(expected, assertThrows(EtcdException.class, check).error());
  }

  @Test
  void addRefusesKnownRemovedAndTakenIdentities() {
    ClusterMembers members = of(member(1, "a", false), member(2, "b", false)).toBuilder().addRemovedIds(7).build();
    assertRefused(EtcdError.MEMBER_EXISTS, () -> MembershipRules.checkAdd(members, 2, List.of("http://x:1"), false));
    assertRefused(EtcdError.MEMBER_NOT_FOUND, () -> MembershipRules.checkAdd(members, 7, List.of("http://x:1"), false));
    assertRefused(EtcdError.PEER_URL_EXISTS,
        () -> MembershipRules.checkAdd(members, 3, List.of("http://x:1", "http://10.0.0.2:2380"), false));
    MembershipRules.checkAdd(members, 3, List.of("http://x:1"), true);
    ClusterMembers withLearner = members.toBuilder().addMembers(member(4, "", true)).build();
    assertRefused(EtcdError.TOO_MANY_LEARNERS, () -> MembershipRules.checkAdd(withLearner, 5, List.of("http://y:1"), true));
  }

  @Test
  void removeKeepsAVoterAndPromoteNeedsALearner() {
    assertRefused(EtcdError.MEMBER_NOT_ENOUGH_STARTED, () -> MembershipRules.checkRemove(of(member(1, "a", false)), 1));
    assertRefused(EtcdError.MEMBER_NOT_FOUND, () -> MembershipRules.checkRemove(of(member(1, "a", false)), 2));
    MembershipRules.checkRemove(of(member(1, "a", false), member(2, "", true)), 2);
    assertRefused(EtcdError.MEMBER_NOT_LEARNER, () -> MembershipRules.checkPromote(of(member(1, "a", false)), 1));
    assertEquals(2, MembershipRules.checkPromote(of(member(1, "a", false), member(2, "", true)), 2).getId());
  }

  @Test
  void startedQuorumRulesMatchEtcd() {
    // One started member may always add a second voter.
    assertTrue(MembershipRules.readyToAddVoter(of(member(1, "a", false))));
    // 3 voters, one never started: 2 started of a future 4 (quorum 3) is not enough.
    ClusterMembers oneUnstarted = of(member(1, "a", false), member(2, "b", false), member(3, "", false));
    assertFalse(MembershipRules.readyToAddVoter(oneUnstarted));
    assertTrue(MembershipRules.readyToAddVoter(of(member(1, "a", false), member(2, "b", false), member(3, "c", false))));
    // Removing a started voter leaves 1 started of 2 (quorum 2); removing the unstarted one leaves 2 of 2.
    assertFalse(MembershipRules.readyToRemoveVoter(oneUnstarted, 1));
    assertTrue(MembershipRules.readyToRemoveVoter(oneUnstarted, 3));
    // Promoting counts the learner as started: 2 started + it of a future 4 is a quorum.
    assertTrue(MembershipRules.readyToPromote(oneUnstarted));
    assertFalse(MembershipRules.readyToPromote(of(member(1, "a", false), member(2, "", false), member(3, "", false))));
  }

  @Test
  void learnerIsInSyncWithinNinetyPercentOfTheLeader() {
    MembershipRules.checkLearnerInSync(90, 100);
    assertRefused(EtcdError.LEARNER_NOT_READY, () -> MembershipRules.checkLearnerInSync(89, 100));
    assertRefused(EtcdError.LEARNER_NOT_READY, () -> MembershipRules.checkLearnerInSync(0, 12));
  }
}
