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
import io.cairn.server.auth.CallAuth;
import io.cairn.server.member.Member;
import io.cairn.server.member.MemberStatus;
import io.cairn.server.watch.LeaderRequirement;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
  /** Pause between attempts to reach the leader (etcd: 50 ms). */
  static final Duration FORWARD_RETRY = Duration.ofMillis(50);

  private final Duration requestTimeout;
  /** Open keep-alive streams whose client asked for a leader (hasleader). */
  private final Set<KeepAliveStream> leaderRequiringStreams = ConcurrentHashMap.newKeySet();

  /** @param reads where leader-side TimeToLive runs after its read barrier (never the apply thread) */
  public LeaseService(Member member, MvccStore store, Lessor lessor, HeaderFactory headers, LeaderForwarder forwarder,
      Executor reads, Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
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
    Replies.async(observer, CallAuth.current().propose(member, LogRequest.newBuilder().setLeaseRevoke(request)),
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
    CompletableFuture<LeaseTimeToLiveResponse> answer = untilAnswered(() -> {
      MemberStatus status = member.status();
      if (status.isLeader()) {
        // As etcd's leader: wait until everything committed is applied, then read the lessor.
        return member.linearizableReadBarrier().thenApplyAsync(ignored -> localTimeToLive(request), reads);
      }
      return status.hasLeader() ? forwarder.timeToLive(status.leaderId(), request)
          : CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    });
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
    KeepAliveStream stream = new KeepAliveStream(observer);
    if (LeaderRequirement.requiredByCurrentCall()) {
      leaderRequiringStreams.add(stream);
    }
    return stream;
  }

  /** Ends every keep-alive stream opened with {@code hasleader} (the member lost its leader), as etcd. */
  public void abortLeaderRequiringStreams(Status status) {
    for (KeepAliveStream stream : List.copyOf(leaderRequiringStreams)) {
      stream.abort(status);
    }
  }

  /** The TTL a keep-alive of {@code id} gets: renewed here on the leader, else by the leader. */
  CompletableFuture<Long> renew(long id) {
    return untilAnswered(() -> {
      MemberStatus status = member.status();
      if (status.isLeader()) {
        try {
          return CompletableFuture.completedFuture(lessor.renew(id));
        } catch (EtcdException notPrimaryYet) {
          // raft made this member leader a moment ago; the expiry loop promotes the lessor on its next tick
          return CompletableFuture.failedFuture(notPrimaryYet);
        }
      }
      return status.hasLeader() ? forwarder.keepAlive(status.leaderId(), id)
          : CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    });
  }

  /**
   * Answers a call only the leader can answer, as etcd's follower does: on any failure (no leader
   * yet, leader unreachable or changed, lessor not promoted yet) it tries again every
   * {@link #FORWARD_RETRY} with the leader known then, until the request timeout; then fails with
   * "no leader" if none is known, else "request timed out".
   */
  private <T> CompletableFuture<T> untilAnswered(Supplier<CompletableFuture<T>> attempt) {
    return untilAnswered(attempt, System.nanoTime() + requestTimeout.toNanos());
  }

  private <T> CompletableFuture<T> untilAnswered(Supplier<CompletableFuture<T>> attempt, long deadline) {
    return attempt.get().handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      if (System.nanoTime() + FORWARD_RETRY.toNanos() >= deadline) {
        EtcdError last = member.status().hasLeader() ? EtcdError.TIMEOUT : EtcdError.NO_LEADER;
        return CompletableFuture.<T>failedFuture(last.exception());
      }
      return CompletableFuture.supplyAsync(() -> null,
              CompletableFuture.delayedExecutor(FORWARD_RETRY.toMillis(), TimeUnit.MILLISECONDS))
          .thenCompose(ignored -> untilAnswered(attempt, deadline));
    }).thenCompose(f -> f);
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
        end();
        out.onError(Replies.toStatus(error));
        return;
      }
      out.onNext(LeaseKeepAliveResponse.newBuilder().setHeader(headers.header(store.currentRevision()))
          .setID(id).setTTL(ttl).build());
    }

    private void end() {
      ended = true;
      leaderRequiringStreams.remove(this);
    }

    synchronized void abort(Status status) {
      if (!ended) {
        end();
        out.onError(status.asRuntimeException());
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      end();
    }

    @Override
    public synchronized void onCompleted() {
      tail.thenRun(() -> {
        synchronized (this) {
          if (!ended) {
            end();
            out.onCompleted();
          }
        }
      });
    }
  }
}
