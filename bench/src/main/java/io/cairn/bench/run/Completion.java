package io.cairn.bench.run;

/**
 * How a scenario tells the runner that one operation it issued has ended.
 *
 * <p>Exactly one of {@link #succeeded()} or {@link #failed(Throwable)} must be called, exactly
 * once, from any thread; a second call is a scenario bug and throws IllegalStateException.
 */
public interface Completion {
  /** When the runner issued the operation, on the runner's clock (nanoseconds). */
  long startNanos();

  void succeeded();

  void failed(Throwable failure);
}
