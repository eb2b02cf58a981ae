package io.cairn.jepsen.nemesis;

import io.cairn.api.etcdserverpb.Member;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.jepsen.cluster.Cluster;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;

/**
 * The member list as one member answered it.
 *
 * @param through the 1-based member that answered (a membership change can be sent there too)
 * @param members the members it listed
 */
record MemberListing(int through, List<Member> members) {

  /** Deadline of each membership call the harness makes. */
  static final long CALL_TIMEOUT_MILLIS = 5000;

  /**
   * The first answer of a running member other than {@code excluded}, asked in turn from a member
   * after {@code excluded}; empty when none answered.
   *
   * @param linearizable read the list through consensus (Cairn, etcd 3.5); etcd 3.4 ignores it
   */
  static Optional<MemberListing> fromAnyOther(Cluster cluster, int excluded, boolean linearizable) {
    for (int k = 1; k < cluster.size(); k++) {
      int i = 1 + (excluded - 1 + k) % cluster.size();
      if (!cluster.member(i).isRunning()) {
        continue;
      }
      try {
        List<Member> members = cluster.membership(i, CALL_TIMEOUT_MILLIS)
            .memberList(MemberListRequest.newBuilder().setLinearizable(linearizable).build()).getMembersList();
        return Optional.of(new MemberListing(i, members));
      } catch (StatusRuntimeException e) {
        // try the next member
      }
    }
    return Optional.empty();
  }

  /** The listed member advertising {@code peerUrl}, if any. */
  Optional<Member> withPeerUrl(String peerUrl) {
    return members.stream().filter(m -> m.getPeerURLsList().contains(peerUrl)).findFirst();
  }
}
