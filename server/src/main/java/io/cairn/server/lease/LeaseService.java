package io.cairn.server.lease;

import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.LeaseLeasesResponse;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeResponse;
import io.cairn.api.etcdserverpb.LeaseStatus;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.cairn.server.grpc.HeaderFactory;
import io.cairn.server.grpc.Replies;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.member.Member;
import io.cairn.server.member.MemberStatus;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * etcd's Lease service. Grant and Revoke go through the raft log, so every member holds the same
 * leases. KeepAlive and TimeToLive need the leader's expiry clock: the leader answers them itself,
 * a follower forwards them to the leader ({@link LeaderForwarder}) and answers with its own header,
 * as etcd does. Leases (the list) is answered from this member's state.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
  private final Member member;
  private final MvccStore store;
  private final Lessor lessor;
  private final HeaderFactory headers;
  private final LeaseIds ids;
  private final LeaderForwarder forwarder;
  private final Executor reads;

  /** @param reads where leader-side TimeToLive runs after its read barrier (never the apply thread) */
  public LeaseService(Member member, MvccStore store, Lessor lessor, HeaderFactory headers, LeaderForwarder forwarder,
      Executor reads) {
    this.member = member;
    this.store = store;
    this.lessor = lessor;
    this.headers = headers;
    this.forwarder = forwarder;
    this.reads = reads;
    this.ids = new LeaseIds(member.memberId(), System.currentTimeMillis());
  }

  @Override
  public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
    LeaseGrantRequest withId = request.getID() != 0 ? request : request.toBuilder().setID(ids.next()).build();
    Replies.async(observer, member.propose(LogRequest.newBuilder().setLeaseGrant(withId)),
        r -> ((LeaseGrantResponse) r).toBuilder().setHeader(headers.complete(((LeaseGrantResponse) r).getHeader())).build());
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> observer) {
    Replies.async(observer, member.propose(LogRequest.newBuilder().setLeaseRevoke(request)),
        r -> ((LeaseRevokeResponse) r).toBuilder().setHeader(headers.complete(((LeaseRevokeResponse) r).getHeader())).build());
  }

  @Override
  public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> observer) {
    Replies.unary(observer, () -> {
      LeaseLeasesResponse.Builder response = LeaseLeasesResponse.newBuilder().setHeader(headers.header(store.currentRevision()));
      for (long id : lessor.ids()) {
        response.addLeases(LeaseStatus.newBuilder().setID(id));
      }
      return response.build();
    });
  }

  @Override
  public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> observer) {
    MemberStatus status = member.status();
    CompletableFuture<LeaseTimeToLiveResponse> answer;
    if (status.isLeader()) {
      // As etcd's leader: wait until everything committed is applied, then read the lessor.
      answer = member.linearizableReadBarrier().thenApplyAsync(ignored -> localTimeToLive(request), reads);
    } else if (!status.hasLeader()) {
      answer = CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    } else {
      answer = forwarder.timeToLive(status.leaderId(), request);
    }
    Replies.async(observer, answer, r -> r.toBuilder().setHeader(headers.header(store.currentRevision())).build());
  }

  private LeaseTimeToLiveResponse localTimeToLive(LeaseTimeToLiveRequest request) {
    Lessor.TimeToLive ttl = lessor.timeToLive(request.getID(), request.getKeys());
    if (ttl == null) {
      // etcd answers an unknown lease with TTL -1, not with an error.
      return LeaseTimeToLiveResponse.newBuilder().setID(request.getID()).setTTL(-1).build();
    }
    return LeaseTimeToLiveResponse.newBuilder().setID(ttl.id()).setTTL(ttl.remainingSeconds())
        .setGrantedTTL(ttl.grantedSeconds()).addAllKeys(ttl.keys()).build();
  }

  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> observer) {
    return new KeepAliveStream(observer);
  }

  /** The TTL a keep-alive of {@code id} gets: renewed here on the leader, else by the leader. */
  CompletableFuture<Long> renew(long id) {
    MemberStatus status = member.status();
    if (status.isLeader()) {
      try {
        return CompletableFuture.completedFuture(lessor.renew(id));
      } catch (EtcdException notPrimaryYet) {
        // Raft made this member leader a moment ago and the expiry loop has not promoted the
        // lessor yet: ask again after its next tick.
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
            2 * LeaseExpiryLoop.TICK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
            .thenCompose(ignored -> member.status().isLeader() && lessor.isPrimary()
                ? CompletableFuture.completedFuture(lessor.renew(id))
                : CompletableFuture.failedFuture(notPrimaryYet));
      }
    }
    if (!status.hasLeader()) {
      return CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    }
    return forwarder.keepAlive(status.leaderId(), id);
  }

  /**
   * One client keep-alive stream: requests are answered one after the other, in order, without
   * holding a gRPC thread while a forwarded request is in flight. A failure ends the stream with
   * its status, as etcd's does.
   */
  private final class KeepAliveStream implements StreamObserver<LeaseKeepAliveRequest> {
    private final StreamObserver<LeaseKeepAliveResponse> out;
    /** Completes when every request received so far is answered. Guarded by this. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    /** Set once the stream ended (error sent or client gone). Guarded by this. */
    private boolean ended;

    KeepAliveStream(StreamObserver<LeaseKeepAliveResponse> out) {
      this.out = out;
    }

    @Override
    public synchronized void onNext(LeaseKeepAliveRequest request) {
      tail = tail.thenCompose(ignored -> renew(request.getID()).handle((ttl, error) -> {
        answer(request.getID(), ttl, error);
        return null;
      }));
    }

    private synchronized void answer(long id, Long ttl, Throwable error) {
      if (ended) {
        return;
      }
      if (error != null) {
        ended = true;
        out.onError(Replies.toStatus(error));
        return;
      }
      out.onNext(LeaseKeepAliveResponse.newBuilder().setHeader(headers.header(store.currentRevision()))
          .setID(id).setTTL(ttl).build());
    }

    @Override
    public synchronized void onError(Throwable t) {
      ended = true;
    }

    @Override
    public synchronized void onCompleted() {
      tail.thenRun(() -> {
        synchronized (this) {
          if (!ended) {
            ended = true;
            out.onCompleted();
          }
        }
      });
    }
  }
}
