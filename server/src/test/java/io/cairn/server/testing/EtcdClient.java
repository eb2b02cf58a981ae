package io.cairn.server.testing;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A plain gRPC client on one endpoint, for tests: no retries, a deadline on every call. */
public final class EtcdClient implements AutoCloseable {
  private final ManagedChannel channel;
  public final KVGrpc.KVBlockingStub kv;
  public final MaintenanceGrpc.MaintenanceBlockingStub maintenance;
  /** Lease stub without a deadline: take it through {@link #leaseWithDeadline()}. */
  private final LeaseGrpc.LeaseBlockingStub lease;

  public EtcdClient(String hostPort) {
    this(hostPort, false);
  }

  public EtcdClient(String hostPort, boolean requireLeader) {
    this(NettyChannelBuilder.forTarget(hostPort).usePlaintext().build(), requireLeader);
  }

  /** A client on {@code channel} (e.g. one over TLS); closing the client shuts the channel down. */
  public EtcdClient(ManagedChannel channel, boolean requireLeader) {
    this.channel = channel;
    Metadata md = new Metadata();
    if (requireLeader) {
      md.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
    }
    this.kv = KVGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
    this.maintenance = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    this.lease = LeaseGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  /**
   * The KV stub with a fresh 30 s deadline: the {@link #kv} field's deadline is fixed when the
   * client is built, so a client used for longer than that must take its stub from here.
   */
  public KVGrpc.KVBlockingStub kvWithDeadline() {
    return kv.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** The Lease stub with a fresh 30 s deadline. */
  public LeaseGrpc.LeaseBlockingStub leaseWithDeadline() {
    return lease.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  public PutResponse put(String key, String value) {
    return kv.withDeadlineAfter(30, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
  }

  public RangeResponse get(String key) {
    return kv.withDeadlineAfter(30, TimeUnit.SECONDS).range(RangeRequest.newBuilder().setKey(bytes(key)).build());
  }

  public RangeResponse getSerializable(String key) {
    return kv.withDeadlineAfter(30, TimeUnit.SECONDS)
        .range(RangeRequest.newBuilder().setKey(bytes(key)).setSerializable(true).build());
  }

  public StatusResponse status() {
    return maintenance.withDeadlineAfter(30, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
