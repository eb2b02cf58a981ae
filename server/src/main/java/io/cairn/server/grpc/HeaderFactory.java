package io.cairn.server.grpc;

import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.server.member.Member;
import io.cairn.server.member.MemberStatus;

/** Fills {@link ResponseHeader} as etcd does: cluster id, this member's id, a revision, raft term. */
public final class HeaderFactory {
  private final Member member;

  public HeaderFactory(Member member) {
    this.member = member;
  }

  public ResponseHeader header(long revision) {
    MemberStatus s = member.status();
    return ResponseHeader.newBuilder()
        .setClusterId(s.clusterId())
        .setMemberId(s.memberId())
        .setRevision(revision)
        .setRaftTerm(s.term())
        .build();
  }

  /** A header that keeps the revision the store put in {@code partial}. */
  public ResponseHeader complete(ResponseHeader partial) {
    return header(partial.getRevision());
  }
}
