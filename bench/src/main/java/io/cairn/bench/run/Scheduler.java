package io.cairn.bench.run;

/**
 * The clock and timer the runner uses. Real runs use {@link RealScheduler}; tests substitute a
 * virtual clock so that rate limiting can be checked by counting, without sleeping.
 */
public interface Scheduler {
  /** Monotonic time in nanoseconds. */
  long nanoTime();

  /** Runs {@code task} once, {@code delayNanos} from now (at once if not positive), on some thread. */
  void schedule(Runnable task, long delayNanos);
}
