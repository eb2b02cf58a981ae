package io.cairn.bench.client;

import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channels of a run and the stubs each logical client uses.
 *
 * <p>Channel {@code i} connects to endpoint {@code i mod endpoints}; logical client {@code c} uses
 * channel {@code c mod conns}. So clients spread round-robin over channels and channels over
 * endpoints, as etcd's own benchmark does. Every unary stub returned carries the per-request
 * deadline ({@code --timeout}); there are no client-side retries.
 */
public final class EtcdClients implements AutoCloseable {
  /** Large enough for paginated lists of big values; etcd's default server limit is 1.5 MiB. */
  private static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;

  private final List<ManagedChannel> channels;
  private final long timeoutNanos;

  private EtcdClients(List<ManagedChannel> channels, Duration timeout) {
    this.channels = channels;
    this.timeoutNanos = timeout.toNanos();
  }

  /** Opens {@code conns} channels over the endpoints. Channels connect lazily. */
  public static EtcdClients connect(List<Endpoint> endpoints, int conns, Duration timeout) {
    if (conns < 1) {
      throw new IllegalArgumentException("conns must be at least 1: " + conns);
    }
    List<ManagedChannel> channels = new ArrayList<>(conns);
    for (int i = 0; i < conns; i++) {
      Endpoint e = endpoints.get(i % endpoints.size());
      channels.add(
          Grpc.newChannelBuilderForAddress(e.host(), e.port(), InsecureChannelCredentials.create())
              .directExecutor()
              .maxInboundMessageSize(MAX_INBOUND_BYTES)
              .build());
    }
    return new EtcdClients(List.copyOf(channels), timeout);
  }

  public int connections() {
    return channels.size();
  }

  public ManagedChannel channel(int client) {
    return channels.get(Math.floorMod(client, channels.size()));
  }

  public long timeoutNanos() {
    return timeoutNanos;
  }

  /** KV stub for one request of {@code client}, with the request deadline already set. */
  public KVGrpc.KVStub kv(int client) {
    return KVGrpc.newStub(channel(client)).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  public LeaseGrpc.LeaseStub lease(int client) {
    return LeaseGrpc.newStub(channel(client)).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** Lease stub without a deadline, for long-lived keepalive streams. */
  public LeaseGrpc.LeaseStub leaseStream(int client) {
    return LeaseGrpc.newStub(channel(client));
  }

  /** Watch stub without a deadline: watch streams live for the whole run. */
  public WatchGrpc.WatchStub watch(int client) {
    return WatchGrpc.newStub(channel(client));
  }

  /** Blocking KV stub for set-up work done before the clock starts. */
  public KVGrpc.KVBlockingStub kvBlocking(int client) {
    return KVGrpc.newBlockingStub(channel(client))
        .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  public LeaseGrpc.LeaseBlockingStub leaseBlocking(int client) {
    return LeaseGrpc.newBlockingStub(channel(client))
        .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  public MaintenanceGrpc.MaintenanceBlockingStub maintenanceBlocking(int client) {
    return MaintenanceGrpc.newBlockingStub(channel(client))
        .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
