package io.cairn.server.grpc;

import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.Member;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.MemberListResponse;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** etcd's Cluster service: the member list as the applied raft log defines it. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final Supplier<ClusterMembers> members;
  private final MvccStore store;
  private final HeaderFactory headers;

  public ClusterService(Supplier<ClusterMembers> members, MvccStore store, HeaderFactory headers) {
    this.members = members;
    this.store = store;
    this.headers = headers;
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
    Replies.unary(observer, () -> {
      MemberListResponse.Builder response = MemberListResponse.newBuilder()
          .setHeader(headers.header(store.currentRevision()));
      for (MemberAttributes m : members.get().getMembersList()) {
        response.addMembers(toEtcd(m));
      }
      return response.build();
    });
  }

  static Member toEtcd(MemberAttributes m) {
    return Member.newBuilder()
        .setID(m.getId())
        .setName(m.getName())
        .addAllPeerURLs(m.getPeerUrlsList())
        .addAllClientURLs(m.getClientUrlsList())
        .setIsLearner(m.getIsLearner())
        .build();
  }
}
