package io.cairn.jepsen.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.api.etcdserverpb.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberFlagsTest {

  private static Member member(long id, String name, String... peerUrls) {
    return Member.newBuilder().setID(id).setName(name).addAllPeerURLs(List.of(peerUrls)).build();
  }

  @Test
  void initialClusterNamesTheOthersAndTheJoinerRecognisedByItsPeerUrl() {
    List<Member> afterAdd = List.of(
        member(0x11, "n1", "http://10.78.0.11:2380"),
        member(0x99, "", "http://10.78.0.12:2380"), // the joiner: added, not started, nameless
        member(0x33, "n3", "http://10.78.0.13:2380", "http://10.78.1.13:2380"));
    assertEquals("n1=http://10.78.0.11:2380,n3=http://10.78.0.13:2380,n3=http://10.78.1.13:2380,n2=http://10.78.0.12:2380",
        MemberFlags.initialCluster(afterAdd, "n2", "http://10.78.0.12:2380"));
  }

  @Test
  void initialClusterAddsTheJoinerWhenTheListDoesNotHoldIt() {
    List<Member> before = List.of(member(1, "n1", "http://a:2381"), member(3, "n3", "http://c:2381"));
    assertEquals("n1=http://a:2381,n3=http://c:2381,n2=http://b:2381", MemberFlags.initialCluster(before, "n2", "http://b:2381"));
  }

  @Test
  void anotherUnstartedMemberCannotBeNamed() {
    List<Member> members = List.of(member(1, "n1", "http://a:2380"), member(7, "", "http://x:2380"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MemberFlags.initialCluster(members, "n2", "http://b:2380"));
    assertEquals("member 7 [http://x:2380] has not started yet, so --initial-cluster cannot name it", e.getMessage());
  }

  @Test
  void joinFlagsReplaceOnlyTheInitialClusterAndItsState() {
    List<String> command = List.of("etcd", "--name", "n2", "--initial-cluster", "n1=u1,n2=u2,n3=u3",
        "--initial-cluster-state", "new", "--initial-cluster-token", "t");
    assertEquals(List.of("etcd", "--name", "n2", "--initial-cluster", "n1=u1,n2=u2b",
            "--initial-cluster-state", "existing", "--initial-cluster-token", "t"),
        MemberFlags.forJoin(command, "n1=u1,n2=u2b"));
  }

  @Test
  void aMissingOrRepeatedFlagIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> MemberFlags.forJoin(List.of("etcd", "--initial-cluster-state", "new"), "x"));
    assertThrows(IllegalArgumentException.class,
        () -> MemberFlags.withFlag(List.of("--initial-cluster", "a", "--initial-cluster", "b"), "--initial-cluster", "c"));
    assertThrows(IllegalArgumentException.class, () -> MemberFlags.withFlag(List.of("x", "--initial-cluster"), "--initial-cluster", "c"));
  }
}
