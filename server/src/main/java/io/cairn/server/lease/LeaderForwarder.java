package io.cairn.server.lease;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.cairn.server.cluster.MemberChannels;
import io.cairn.server.tls.Dialer;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends the lease calls only the leader can answer (keep-alive, time-to-live) from a follower to
 * the leader, over the leader's own client gRPC listener.
 *
 * <p>Why the client port and not the raft peer transport: etcd forwards these over HTTP to the
 * leader as well, outside raft; reusing the etcd Lease API of the leader needs no new protocol and
 * gets the leader's exact answer (TTL 0 / -1 for unknown leases). The leader's client URL comes
 * from the membership every member publishes through the log. One channel per leader URL is kept
 * open and reused.
 */
public final class LeaderForwarder implements AutoCloseable {
  private final Duration timeout;
  /** Channels to the leader's client listener (its published client URLs). */
  private final MemberChannels channels;

  public LeaderForwarder(Supplier<ClusterMembers> members, Duration timeout, Dialer clientDialer) {
    this.channels = new MemberChannels(members, MemberAttributes::getClientUrlsList, clientDialer);
    this.timeout = timeout;
  }

  /** One keep-alive on the leader: completes with its TTL (0 for an unknown or expired lease). */
  public CompletableFuture<Long> keepAlive(long leaderId, long leaseId) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    LeaseGrpc.LeaseStub stub;
    try {
      stub = LeaseGrpc.newStub(channels.to(leaderId)).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    StreamObserver<LeaseKeepAliveRequest> requests = stub.leaseKeepAlive(new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse response) {
        result.complete(response.getTTL());
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.completeExceptionally(EtcdError.LEADER_CHANGED.exception());
      }
    });
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    return result.whenComplete((ttl, error) -> requests.onCompleted());
  }

  /** etcd's TimeToLive answered by the leader (its header is replaced by the caller). */
  public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaderId, LeaseTimeToLiveRequest request) {
    CompletableFuture<LeaseTimeToLiveResponse> result = new CompletableFuture<>();
    try {
      LeaseGrpc.newStub(channels.to(leaderId)).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .leaseTimeToLive(request, new StreamObserver<>() {
            @Override
            public void onNext(LeaseTimeToLiveResponse response) {
              result.complete(response);
            }

            @Override
            public void onError(Throwable t) {
              result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              result.completeExceptionally(EtcdError.LEADER_CHANGED.exception());
            }
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  @Override
  public void close() {
    channels.close();
  }
}
