package io.cairn.server.watch;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.WatchCancelRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchProgressRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw etcd Watch stream for tests: requests go out as written, every response (and the end of
 * the stream) lands in a queue the test takes from with a deadline.
 */
public final class WatchStreamClient implements AutoCloseable {
  /** What arrived on the stream: a response, or its end (error null for a clean end). */
  public record Received(WatchResponse response, Throwable error, boolean ended) {}

  private final ManagedChannel channel;
  private final boolean ownChannel;
  private final StreamObserver<WatchRequest> requests;
  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

  public WatchStreamClient(String hostPort) {
    this(NettyChannelBuilder.forTarget(hostPort).usePlaintext().build(), true, false);
  }

  public WatchStreamClient(String hostPort, boolean requireLeader) {
    this(NettyChannelBuilder.forTarget(hostPort).usePlaintext().build(), true, requireLeader);
  }

  private WatchStreamClient(ManagedChannel channel, boolean ownChannel, boolean requireLeader) {
    this.channel = channel;
    this.ownChannel = ownChannel;
    Metadata md = new Metadata();
    if (requireLeader) {
      md.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
    }
    this.requests = WatchGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .watch(new StreamObserver<>() {
          @Override
          public void onNext(WatchResponse r) {
            received.add(new Received(r, null, false));
          }

          @Override
          public void onError(Throwable t) {
            received.add(new Received(null, t, true));
          }

          @Override
          public void onCompleted() {
            received.add(new Received(null, null, true));
          }
        });
  }

  public static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  public synchronized void create(WatchCreateRequest request) {
    requests.onNext(WatchRequest.newBuilder().setCreateRequest(request).build());
  }

  public synchronized void cancel(long watchId) {
    requests.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
  }

  public synchronized void requestProgress() {
    requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
  }

  /** The next thing that arrives, or null when nothing did within {@code timeout}. */
  public Received poll(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next response; fails if the stream ended or nothing arrived in time. */
  public WatchResponse next(Duration timeout) throws InterruptedException {
    Received r = poll(timeout);
    if (r == null) {
      throw new AssertionError("no watch response within " + timeout);
    }
    if (r.ended()) {
      throw new AssertionError("watch stream ended: " + r.error(), r.error());
    }
    return r.response();
  }

  @Override
  public void close() {
    try {
      requests.onError(new io.grpc.StatusException(io.grpc.Status.CANCELLED));
    } catch (RuntimeException ignored) {
      // already ended
    }
    if (ownChannel) {
      channel.shutdownNow();
    }
  }
}
