package io.cairn.server.testing;

import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.Member;
import io.cairn.api.etcdserverpb.MemberAddRequest;
import io.cairn.api.etcdserverpb.MemberAddResponse;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.MemberPromoteRequest;
import io.cairn.api.etcdserverpb.MemberPromoteResponse;
import io.cairn.api.etcdserverpb.MemberRemoveRequest;
import io.cairn.api.etcdserverpb.MemberRemoveResponse;
import io.cairn.api.etcdserverpb.MemberUpdateRequest;
import io.cairn.api.etcdserverpb.MemberUpdateResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** etcd's Cluster service on one endpoint, for tests: a 30 s deadline on every call. */
public final class ClusterClient implements AutoCloseable {
  private final ManagedChannel channel;

  public ClusterClient(String hostPort) {
    this.channel = NettyChannelBuilder.forTarget(hostPort).usePlaintext().build();
  }

  private ClusterGrpc.ClusterBlockingStub stub() {
    return ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public MemberAddResponse add(String peerUrl, boolean learner) {
    return stub().memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).setIsLearner(learner).build());
  }

  public MemberRemoveResponse remove(long id) {
    return stub().memberRemove(MemberRemoveRequest.newBuilder().setID(id).build());
  }

  public MemberUpdateResponse update(long id, String peerUrl) {
    return stub().memberUpdate(MemberUpdateRequest.newBuilder().setID(id).addPeerURLs(peerUrl).build());
  }

  public MemberPromoteResponse promote(long id) {
    return stub().memberPromote(MemberPromoteRequest.newBuilder().setID(id).build());
  }

  public List<Member> list() {
    return stub().memberList(MemberListRequest.getDefaultInstance()).getMembersList();
  }

  /** Member list after a read barrier: every change committed before the call is included. */
  public List<Member> linearizableList() {
    return stub().memberList(MemberListRequest.newBuilder().setLinearizable(true).build()).getMembersList();
  }

  /** The listed member with this id, or null. */
  public Member find(long id) {
    return list().stream().filter(m -> m.getID() == id).findFirst().orElse(null);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
