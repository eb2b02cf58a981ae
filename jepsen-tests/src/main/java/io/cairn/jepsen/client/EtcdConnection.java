package io.cairn.jepsen.client;

import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC channel to one member, with the raw stubs the workloads use. No retry policy, no
 * load-balancing, no waiting for the channel to become ready: a request that cannot be sent fails at
 * once, and nothing is ever re-sent behind the recorder's back.
 */
public final class EtcdConnection implements AutoCloseable {

  private final String host;
  private final int port;
  private final String target;
  private final ManagedChannel channel;

  public EtcdConnection(String host, int port) {
    this.host = host;
    this.port = port;
    this.target = host + ":" + port;
    this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().disableRetry()
        .maxInboundMessageSize(64 << 20).build();
  }

  public String target() {
    return target;
  }

  /** A new connection, with a channel of its own (no reconnect backoff inherited), to the same member. */
  public EtcdConnection another() {
    return new EtcdConnection(host, port);
  }

  public KVGrpc.KVBlockingStub kv(long timeoutMillis) {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public LeaseGrpc.LeaseBlockingStub lease(long timeoutMillis) {
    return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** The asynchronous lease stub, for LeaseKeepAlive streams (no deadline: a stream lives as long as its user wants). */
  public LeaseGrpc.LeaseStub leaseStream() {
    return LeaseGrpc.newStub(channel);
  }

  public MaintenanceGrpc.MaintenanceBlockingStub maintenance(long timeoutMillis) {
    return MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public ClusterGrpc.ClusterBlockingStub cluster(long timeoutMillis) {
    return ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public WatchGrpc.WatchStub watch() {
    return WatchGrpc.newStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
