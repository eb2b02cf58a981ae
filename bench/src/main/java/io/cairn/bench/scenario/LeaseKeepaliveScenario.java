package io.cairn.bench.scenario;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.Completion;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.stats.StatsCollector;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lease keepalive throughput: before the clock starts every client grants one lease (timed in the
 * {@value #GRANTS} series) and opens a LeaseKeepAlive stream; each operation is then one keepalive
 * request and its response on that stream.
 *
 * <p>A keepalive not answered within {@code --timeout} fails with DEADLINE_EXCEEDED and the
 * client's stream is cancelled and reopened on its next operation, so a late answer is never
 * credited to a later request.
 */
public final class LeaseKeepaliveScenario implements Scenario {
  /** Series of LeaseGrant latencies (set-up phase). */
  public static final String GRANTS = "lease-grant";

  private final EtcdClients clients;
  private final long ttlSeconds;
  private final long[] leaseIds;
  private final KeepAliveStream[] streams;
  /** Arms one timeout per pending keepalive; answered ones are cancelled and removed. */
  private final ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "keepalive-timeouts");
    t.setDaemon(true);
    return t;
  });

  public LeaseKeepaliveScenario(EtcdClients clients, int clientCount, long ttlSeconds) {
    this.clients = clients;
    this.ttlSeconds = ttlSeconds;
    this.leaseIds = new long[clientCount];
    this.streams = new KeepAliveStream[clientCount];
    timeouts.setRemoveOnCancelPolicy(true);
  }

  @Override
  public String name() {
    return "lease-keepalive";
  }

  @Override
  public void prepare(StatsCollector stats) {
    for (int c = 0; c < leaseIds.length; c++) {
      long start = System.nanoTime();
      LeaseGrantResponse granted = clients.leaseBlocking(c)
          .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build());
      stats.setupSeries(GRANTS).recordSuccess(System.nanoTime() - start);
      if (!granted.getError().isEmpty()) {
        throw new IllegalStateException("lease grant refused: " + granted.getError());
      }
      leaseIds[c] = granted.getID();
    }
  }

  @Override
  public void issue(int client, Completion done) {
    KeepAliveStream stream = streams[client];
    if (stream == null || stream.broken) {
      stream = new KeepAliveStream();
      stream.requests = clients.leaseStream(client).leaseKeepAlive(stream);
      streams[client] = stream;
    }
    stream.pending.set(done);
    KeepAliveStream armed = stream;
    stream.timeout =
        timeouts.schedule(() -> armed.expire(done), clients.timeoutNanos(), TimeUnit.NANOSECONDS);
    stream.requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseIds[client]).build());
  }

  @Override
  public void close() {
    timeouts.shutdownNow();
    for (KeepAliveStream s : streams) {
      if (s != null && !s.broken) {
        s.requests.onCompleted();
      }
    }
    for (int c = 0; c < leaseIds.length; c++) {
      if (leaseIds[c] != 0) {
        try {
          clients.leaseBlocking(c).leaseRevoke(
              LeaseRevokeRequest.newBuilder().setID(leaseIds[c]).build());
        } catch (RuntimeException e) {
          // Best effort: the lease expires after its TTL anyway.
        }
      }
    }
  }

  /** One client's keepalive stream; at most one request of it is pending at a time. */
  private static final class KeepAliveStream implements StreamObserver<LeaseKeepAliveResponse> {
    /** The operation awaiting its response, or null; claimed by exactly one of answer/expiry. */
    final AtomicReference<Completion> pending = new AtomicReference<>();
    StreamObserver<LeaseKeepAliveRequest> requests;
    /** The expiry armed for the pending request. */
    volatile ScheduledFuture<?> timeout;
    /** Set once the stream failed or was cancelled; the next operation opens a new one. */
    volatile boolean broken;

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
      Completion done = pending.getAndSet(null);
      if (done == null) {
        return;
      }
      timeout.cancel(false);
      if (response.getTTL() <= 0) {
        done.failed(EtcdError.LEASE_NOT_FOUND.toStatus().asRuntimeException());
      } else {
        done.succeeded();
      }
    }

    @Override
    public void onError(Throwable t) {
      broken = true;
      Completion done = pending.getAndSet(null);
      if (done != null) {
        done.failed(t);
      }
    }

    @Override
    public void onCompleted() {
      onError(Status.UNAVAILABLE.withDescription("keepalive stream closed by server")
          .asRuntimeException());
    }

    void expire(Completion done) {
      if (pending.compareAndSet(done, null)) {
        broken = true;
        requests.onError(Status.CANCELLED.withDescription("keepalive timed out").asException());
        done.failed(Status.DEADLINE_EXCEEDED.asRuntimeException());
      }
    }
  }
}
