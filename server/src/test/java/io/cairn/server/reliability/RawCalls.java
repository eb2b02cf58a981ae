package io.cairn.server.reliability;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

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

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
