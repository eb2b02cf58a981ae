package io.cairn.server.grpc;

import io.cairn.api.EtcdError;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.util.function.Function;

/**
 * A call listener that looks at each request before the handler does and, when {@code refusal}
 * names an error for it, closes the call with that error instead; the handler then never runs.
 * What the guards ({@link LearnerGuard}, {@link NoSpaceGuard}) share.
 */
final class ScreeningListener<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
  private final ServerCall<Q, R> call;
  /** The error to refuse a request with, or null to let it through. */
  private final Function<Object, EtcdError> refusal;
  /** Set once the request was refused: the call is closed and the handler must not run. */
  private boolean refused;

  ScreeningListener(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Function<Object, EtcdError> refusal) {
    super(delegate);
    this.call = call;
    this.refusal = refusal;
  }

  @Override
  public void onMessage(Q request) {
    if (refused) {
      return;
    }
    EtcdError error = refusal.apply(request);
    if (error != null) {
      refused = true;
      call.close(error.toStatus(), new Metadata());
      return;
    }
    super.onMessage(request);
  }

  @Override
  public void onHalfClose() {
    if (!refused) {
      super.onHalfClose();
    }
  }

  @Override
  public void onReady() {
    if (!refused) {
      super.onReady();
    }
  }
}
