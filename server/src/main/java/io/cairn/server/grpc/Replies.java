package io.cairn.server.grpc;

import io.cairn.api.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns results and failures into gRPC replies, in one place: an {@link EtcdException} becomes
 * etcd's exact status; anything else is a server bug, logged and answered as INTERNAL.
 */
public final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** Replies with what {@code call} returns, or with the failure it throws. */
  public static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      observer.onError(toStatus(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /** Replies when {@code future} completes, mapping its value with {@code toResponse}. */
  public static <V, T> void async(StreamObserver<T> observer, CompletableFuture<V> future, Function<V, T> toResponse) {
    future.whenComplete((value, error) -> {
      if (error != null) {
        observer.onError(toStatus(error));
        return;
      }
      unary(observer, () -> toResponse.apply(value));
    });
  }

  public static StatusRuntimeException toStatus(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof EtcdException etcd) {
      return etcd.toStatusException();
    }
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("the client cancelled the request").asRuntimeException();
    }
    LOG.error("request failed inside the server", cause);
    return Status.INTERNAL.withDescription("cairn: internal error: " + cause).asRuntimeException();
  }
}
