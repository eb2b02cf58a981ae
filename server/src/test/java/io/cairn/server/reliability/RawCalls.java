package io.cairn.server.reliability;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client that sends request bytes as they are, to any unary method: for requests no generated
 * stub would build (malformed bytes, txns nested deeper than protobuf-java's parser goes).
 */
final class RawCalls implements AutoCloseable {
  /** What the server answered: the status, and the response bytes when it is OK. */
  record Answer(Status.Code code, String message, byte[] response) {
    boolean ok() {
      return code == Status.Code.OK;
    }

    @Override
    public String toString() {
      return ok() ? "OK (" + response.length + " bytes)" : code + ": " + message;
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final ManagedChannel channel;

  RawCalls(String hostPort) {
    this.channel = NettyChannelBuilder.forTarget(hostPort).usePlaintext().maxInboundMessageSize(64 << 20).build();
  }

  /** Calls {@code fullMethod} (e.g. {@code etcdserverpb.KV/Txn}) with {@code request} as its bytes. */
  Answer call(String fullMethod, byte[] request) {
    MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethod)
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    try {
      byte[] response = ClientCalls.blockingUnaryCall(channel, method,
          CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
      return new Answer(Status.Code.OK, null, response);
    } catch (StatusRuntimeException e) {
      return new Answer(e.getStatus().getCode(), e.getStatus().getDescription(), null);
    }
  }

  /**
   * Opens a bidirectional stream on {@code fullMethod}, sends {@code messages} in order, and
   * returns the status the server closed the stream with (waiting at most 30 s).
   */
  Status streamUntilClosed(String fullMethod, List<byte[]> messages) throws InterruptedException {
    MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName(fullMethod)
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    CompletableFuture<Status> closed = new CompletableFuture<>();
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
        new StreamObserver<>() {
          @Override public void onNext(byte[] value) { }
          @Override public void onError(Throwable t) { closed.complete(Status.fromThrowable(t)); }
          @Override public void onCompleted() { closed.complete(Status.OK); }
        });
    messages.forEach(requests::onNext);
    try {
      return closed.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("the stream did not close", e);
    } finally {
      requests.onCompleted();
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
