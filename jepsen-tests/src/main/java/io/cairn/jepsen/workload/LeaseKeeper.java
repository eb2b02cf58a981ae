package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.cairn.jepsen.client.EtcdConnection;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one lease alive the way etcd's client does for a concurrency session: a LeaseKeepAlive stream
 * to the client's member, a request every third of the TTL, a new stream on the next tick when the
 * old one broke. Keep-alives are not recorded in the history: they change nothing a checker reads,
 * and whether they arrive in time is exactly what the faults are allowed to break (the fence, not the
 * lease, is what keeps writes safe).
 */
final class LeaseKeeper implements AutoCloseable {

  private final EtcdConnection member;
  private final long leaseId;
  /** The open stream; null before the first tick and after it broke (the next tick opens one). Guarded by this. */
  private ClientCallStreamObserver<LeaseKeepAliveRequest> stream;
  /** Set once by close(); no request is sent after it. Guarded by this. */
  private boolean closed;
  private ScheduledFuture<?> ticks;
  /** Set when the server answered that the lease no longer exists (TTL &lt;= 0). */
  private volatile boolean expired;

  private LeaseKeeper(EtcdConnection member, long leaseId) {
    this.member = member;
    this.leaseId = leaseId;
  }

  static LeaseKeeper start(EtcdConnection member, long leaseId, long ttlSeconds, ScheduledExecutorService scheduler) {
    LeaseKeeper keeper = new LeaseKeeper(member, leaseId);
    long period = Math.max(1, ttlSeconds * 1000 / 3);
    synchronized (keeper) {
      keeper.ticks = scheduler.scheduleAtFixedRate(keeper::tick, period, period, TimeUnit.MILLISECONDS);
    }
    return keeper;
  }

  /** Whether a keep-alive answer said the lease is gone. */
  boolean expired() {
    return expired;
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    try {
      if (stream == null) {
        member.leaseStream().leaseKeepAlive(new StreamObserver());
      }
      stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    } catch (RuntimeException e) {
      stream = null; // the next tick tries a new stream
    }
  }

  private synchronized void broken(ClientCallStreamObserver<LeaseKeepAliveRequest> which) {
    if (stream == which) {
      stream = null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (ticks != null) {
      ticks.cancel(false);
    }
    if (stream != null) {
      stream.cancel("lease no longer kept", null);
      stream = null;
    }
  }

  /** One LeaseKeepAlive stream's callbacks. */
  private final class StreamObserver implements ClientResponseObserver<LeaseKeepAliveRequest, LeaseKeepAliveResponse> {

    private volatile ClientCallStreamObserver<LeaseKeepAliveRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<LeaseKeepAliveRequest> s) {
      requests = s;
      stream = s; // called from tick(), which holds the keeper's lock
    }

    @Override
    public void onNext(LeaseKeepAliveResponse r) {
      if (r.getTTL() <= 0) {
        expired = true;
      }
    }

    @Override
    public void onError(Throwable t) {
      broken(requests);
    }

    @Override
    public void onCompleted() {
      broken(requests);
    }
  }
}
