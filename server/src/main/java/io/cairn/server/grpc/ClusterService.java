package io.cairn.server.grpc;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.Member;
import io.cairn.api.etcdserverpb.MemberAddRequest;
import io.cairn.api.etcdserverpb.MemberAddResponse;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.MemberListResponse;
import io.cairn.api.etcdserverpb.MemberPromoteRequest;
import io.cairn.api.etcdserverpb.MemberPromoteResponse;
import io.cairn.api.etcdserverpb.MemberRemoveRequest;
import io.cairn.api.etcdserverpb.MemberRemoveResponse;
import io.cairn.api.etcdserverpb.MemberUpdateRequest;
import io.cairn.api.etcdserverpb.MemberUpdateResponse;
import io.cairn.server.cluster.MemberChannels;
import io.cairn.server.tls.Dialer;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.UrlList;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.server.member.MemberStatus;
import io.cairn.server.member.MembershipChanges;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * etcd's Cluster service: the member list as the applied raft log defines it, and runtime
 * reconfiguration (add, remove, update, promote).
 *
 * <p>A reconfiguration arriving on a follower is sent on to the leader, on its peer listener (which
 * serves this service too), and the leader's answer relayed: the leader alone knows which members are active and how far a learner's
 * log matches (etcd forwards promotion to the leader for the same reason), and checking every
 * change in one place keeps the checks consistent. A forwarded call is marked so it is never sent
 * on again.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase implements AutoCloseable {
  private static final Metadata.Key<String> FORWARDED_HEADER =
      Metadata.Key.of("cairn-forwarded", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Boolean> FORWARDED = Context.keyWithDefault("cairn-forwarded", false);

  private final io.cairn.server.member.Member member;
  private final MembershipChanges changes;
  private final Supplier<ClusterMembers> members;
  private final MvccStore store;
  private final HeaderFactory headers;
  private final Duration forwardTimeout;
  /** Channels to the leader's peer listener: its client URLs may not be published yet. */
  private final MemberChannels leaderChannels;

  public ClusterService(io.cairn.server.member.Member member, MembershipChanges changes,
      Supplier<ClusterMembers> members, MvccStore store, HeaderFactory headers, Duration forwardTimeout,
      Dialer peerDialer) {
    this.member = member;
    this.changes = changes;
    this.members = members;
    this.store = store;
    this.headers = headers;
    this.forwardTimeout = forwardTimeout;
    this.leaderChannels = new MemberChannels(members, MemberAttributes::getPeerUrlsList, peerDialer);
  }

  /** This service with the interceptor that recognises calls forwarded by another member. */
  public BindableService bindable() {
    ServerInterceptor marker = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        Context ctx = Context.current().withValue(FORWARDED, headers.containsKey(FORWARDED_HEADER));
        return Contexts.interceptCall(ctx, call, headers, next);
      }
    };
    ServerServiceDefinition definition = ServerInterceptors.intercept(this, marker);
    return () -> definition;
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
    // linearizable: first apply everything committed so far (a read barrier), as etcd 3.5 does.
    CompletableFuture<Void> ready = request.getLinearizable()
        ? member.linearizableReadBarrier() : CompletableFuture.completedFuture(null);
    Replies.async(observer, ready, ok -> MemberListResponse.newBuilder()
        .setHeader(headers.header(store.currentRevision()))
        .addAllMembers(toEtcd(members.get()))
        .build());
  }

  @Override
  public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
    List<URI> urls = peerUrls(request.getPeerURLsList(), observer);
    if (urls == null || forwardToLeader(observer, stub -> stub.memberAdd(request, afterLocalApply(observer)))) {
      return;
    }
    Replies.async(observer, changes.add(urls, request.getIsLearner()), added -> MemberAddResponse.newBuilder()
        .setHeader(headers.header(store.currentRevision()))
        .setMember(Member.newBuilder().setID(added.member().getId())
            .addAllPeerURLs(added.member().getPeerUrlsList()).setIsLearner(added.member().getIsLearner()))
        .addAllMembers(toEtcd(added.members()))
        .build());
  }

  @Override
  public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> observer) {
    if (forwardToLeader(observer, stub -> stub.memberRemove(request,
        // A member removing itself is cut off once removed: its barrier would only time out.
        request.getID() == member.memberId() ? observer : afterLocalApply(observer)))) {
      return;
    }
    Replies.async(observer, changes.remove(request.getID()), after -> MemberRemoveResponse.newBuilder()
        .setHeader(headers.header(store.currentRevision())).addAllMembers(toEtcd(after)).build());
  }

  @Override
  public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> observer) {
    List<URI> urls = peerUrls(request.getPeerURLsList(), observer);
    if (urls == null || forwardToLeader(observer, stub -> stub.memberUpdate(request, afterLocalApply(observer)))) {
      return;
    }
    Replies.async(observer, changes.update(request.getID(), urls), after -> MemberUpdateResponse.newBuilder()
        .setHeader(headers.header(store.currentRevision())).addAllMembers(toEtcd(after)).build());
  }

  @Override
  public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> observer) {
    if (forwardToLeader(observer, stub -> stub.memberPromote(request, afterLocalApply(observer)))) {
      return;
    }
    Replies.async(observer, changes.promote(request.getID()), after -> MemberPromoteResponse.newBuilder()
        .setHeader(headers.header(store.currentRevision())).addAllMembers(toEtcd(after)).build());
  }

  /**
   * Sends the call to the leader when this member is a follower and the call was not forwarded
   * already; returns false when it is to be served here.
   */
  private boolean forwardToLeader(StreamObserver<?> observer,
      Consumer<ClusterGrpc.ClusterStub> call) {
    MemberStatus status = member.status();
    if (FORWARDED.get() || status.isLeader()) {
      return false;
    }
    try {
      if (!status.hasLeader()) {
        throw EtcdError.NO_LEADER.exception();
      }
      Metadata marker = new Metadata();
      marker.put(FORWARDED_HEADER, "1");
      call.accept(ClusterGrpc.newStub(leaderChannels.to(status.leaderId()))
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(marker))
          .withDeadlineAfter(forwardTimeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (RuntimeException e) {
      observer.onError(Replies.toStatus(e));
    }
    return true;
  }

  /**
   * etcd's URL check for member add/update: each must be a URL with a host and port, and no path.
   * Answers {@link EtcdError#MEMBER_BAD_URLS} and returns null when one is not.
   */
  private static List<URI> peerUrls(List<String> given, StreamObserver<?> observer) {
    List<URI> urls = new ArrayList<>();
    try {
      for (String u : given) {
        urls.add(UrlList.parseOne("peerURLs", u));
      }
    } catch (ConfigException e) {
      urls.clear();
    }
    if (urls.isEmpty()) {
      observer.onError(EtcdError.MEMBER_BAD_URLS.toStatus().asRuntimeException());
      return null;
    }
    return urls;
  }

  /**
   * Relays the leader's answer once this member has applied everything the leader had committed
   * when it answered (a read barrier), so a client that changed the membership through this member
   * and then lists it here sees its change.
   */
  private <R> StreamObserver<R> afterLocalApply(StreamObserver<R> observer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R response) {
        // The change is made whatever the barrier's fate (removing the leader changes leaders,
        // which fails the barrier): relay the answer regardless.
        member.linearizableReadBarrier().whenComplete((ok, error) -> {
          observer.onNext(response);
          observer.onCompleted();
        });
      }

      @Override
      public void onError(Throwable t) {
        observer.onError(t);
      }

      @Override
      public void onCompleted() {
        // Completed by onNext, after the barrier.
      }
    };
  }

  static List<Member> toEtcd(ClusterMembers members) {
    List<Member> out = new ArrayList<>();
    for (MemberAttributes m : members.getMembersList()) {
      out.add(toEtcd(m));
    }
    return out;
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

  @Override
  public void close() {
    leaderChannels.close();
  }
}
