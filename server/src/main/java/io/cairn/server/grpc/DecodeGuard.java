package io.cairn.server.grpc;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a service behind decoding that cannot fail in the handler: each method's requests are
 * decoded by {@link RequestMarshallers}, and a request that does not decode closes its call with
 * the refusal's status (logged once, rate-limited, by {@link ClientErrorLog}) before the service
 * sees anything. The service itself is unchanged: it receives the decoded messages through a
 * call and listener of its own types.
 */
public final class DecodeGuard {
  private DecodeGuard() {}

  public static ServerServiceDefinition guard(ServerServiceDefinition service, ClientErrorLog log) {
    List<ServerMethodDefinition<?, ?>> guarded = new ArrayList<>();
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> g = guard(method, log);
      descriptor.addMethod(g.getMethodDescriptor());
      guarded.add(g);
    }
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    guarded.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<Decoded<Q>, R> guard(ServerMethodDefinition<Q, R> method,
      ClientErrorLog log) {
    MethodDescriptor<Q, R> original = method.getMethodDescriptor();
    MethodDescriptor<Decoded<Q>, R> decoding = original
        .toBuilder(RequestMarshallers.decoding(original.getRequestMarshaller()), original.getResponseMarshaller())
        .build();
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(decoding, (call, headers) -> {
      DecodedCall<Q, R> inner = new DecodedCall<>(call, original);
      return new DecodedListener<>(handler.startCall(inner, headers), inner, log);
    });
  }

  /**
   * The service's view of a call: the real one, typed as the service expects. Once the edge
   * refused a request on it, whatever the service still sends is dropped (the service was told
   * the call is cancelled).
   */
  private static final class DecodedCall<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<Decoded<Q>, R> call;
    private final MethodDescriptor<Q, R> method;
    /** Guarded by this, as are the calls on {@code call} that send or close. */
    private boolean refused;

    DecodedCall(ServerCall<Decoded<Q>, R> call, MethodDescriptor<Q, R> method) {
      this.call = call;
      this.method = method;
    }

    /** Closes the call with {@code status}, unless the service closed it already. */
    synchronized void refuse(Status status) {
      refused = true;
      try {
        call.close(status, new Metadata());
      } catch (IllegalStateException alreadyClosed) {
        // The service answered before the refused message arrived (a stream's later message).
      }
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!refused) {
        call.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!refused) {
        call.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!refused) {
        call.close(status, trailers);
      }
    }

    @Override
    public synchronized boolean isCancelled() {
      return refused || call.isCancelled();
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }

  /**
   * Hands decoded requests to the service's listener; on a refusal it closes the call, tells the
   * service the call is cancelled, and passes nothing more on.
   */
  private static final class DecodedListener<Q, R> extends ServerCall.Listener<Decoded<Q>> {
    private final ServerCall.Listener<Q> delegate;
    private final DecodedCall<Q, R> call;
    private final ClientErrorLog log;
    /** Listener events are serialized by gRPC: no lock needed. */
    private boolean refused;

    DecodedListener(ServerCall.Listener<Q> delegate, DecodedCall<Q, R> call, ClientErrorLog log) {
      this.delegate = delegate;
      this.call = call;
      this.log = log;
    }

    @Override
    public void onMessage(Decoded<Q> message) {
      if (refused) {
        return;
      }
      if (!message.isRefused()) {
        delegate.onMessage(message.request());
        return;
      }
      refused = true;
      if (message.refusal().getCode() == Status.Code.INTERNAL) {
        // Undecodable bytes; a txn refused for its depth is an ordinary etcd error, not logged.
        log.refused(call.getMethodDescriptor().getFullMethodName(),
            call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), message.refusal().getDescription());
      }
      call.refuse(message.refusal());
      delegate.onCancel();
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        delegate.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      if (!refused) {
        delegate.onCancel();
      }
    }

    @Override
    public void onComplete() {
      if (!refused) {
        delegate.onComplete();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        delegate.onReady();
      }
    }
  }
}
