package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberIdsTest {
  @Test
  void defaultSingleMemberHasEtcdsWellKnownIds() {
    // A fresh `etcd` with no flags reports member 8e9e05c52164694d in cluster cdf818194e3a8c32.
    long member = MemberIds.memberId(List.of(URI.create("http://localhost:2380")), "etcd-cluster");
    assertEquals("8e9e05c52164694d", MemberIds.toHex(member));
    assertEquals("cdf818194e3a8c32", MemberIds.toHex(MemberIds.clusterId(List.of(member))));
  }

  @Test
  void memberIdIgnoresUrlOrderButNotToken() {
    URI a = URI.create("http://10.0.0.1:2380");
    URI b = URI.create("http://10.0.0.2:2380");
    assertEquals(MemberIds.memberId(List.of(a, b), "t"), MemberIds.memberId(List.of(b, a), "t"));
    assertNotEquals(MemberIds.memberId(List.of(a), "t1"), MemberIds.memberId(List.of(a), "t2"));
  }

  @Test
  void clusterIdSortsMemberIdsAsUnsigned() {
    assertEquals(MemberIds.clusterId(List.of(-1L, 5L)), MemberIds.clusterId(List.of(5L, -1L)));
  }
}
