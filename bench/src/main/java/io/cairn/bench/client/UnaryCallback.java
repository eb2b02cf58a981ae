package io.cairn.bench.client;

import io.cairn.bench.run.Completion;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/**
 * Adapts one unary gRPC call to a {@link Completion}: the response is handed to {@code onResponse}
 * (which may record scenario-specific facts and may throw to turn the call into a failure), then
 * the operation is marked succeeded; a gRPC error marks it failed.
 *
 * <p>A {@link #chaining} callback instead leaves completion to {@code onResponse}, for operations
 * made of several calls in sequence (a paginated list, a lease grant then a put).
 */
public final class UnaryCallback<T> implements StreamObserver<T> {
  private final Completion done;
  private final Consumer<T> onResponse;
  /** Whether this callback marks the operation succeeded after {@code onResponse} returns. */
  private final boolean completesOperation;
  private T response;

  public UnaryCallback(Completion done, Consumer<T> onResponse) {
    this(done, onResponse, true);
  }

  private UnaryCallback(Completion done, Consumer<T> onResponse, boolean completesOperation) {
    this.done = done;
    this.onResponse = onResponse;
    this.completesOperation = completesOperation;
  }

  /** A callback whose {@code next} issues the following call of the operation or completes it. */
  public static <T> UnaryCallback<T> chaining(Completion done, Consumer<T> next) {
    return new UnaryCallback<>(done, next, false);
  }

  /** A callback that only completes the operation. */
  public static <T> UnaryCallback<T> completing(Completion done) {
    return new UnaryCallback<>(done, r -> {});
  }

  @Override
  public void onNext(T value) {
    response = value;
  }

  @Override
  public void onError(Throwable t) {
    done.failed(t);
  }

  @Override
  public void onCompleted() {
    try {
      onResponse.accept(response);
    } catch (RuntimeException e) {
      done.failed(e);
      return;
    }
    if (completesOperation) {
      done.succeeded();
    }
  }
}
