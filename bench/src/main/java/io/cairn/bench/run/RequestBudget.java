package io.cairn.bench.run;

import java.util.OptionalLong;

/**
 * Decides whether another operation may start and when: it enforces {@code --total} exactly,
 * stops at the end of {@code --duration}, and spaces starts by {@code 1/--rate} seconds.
 *
 * <p>The rate limit is open-loop in the sense that slots are handed out on a fixed schedule
 * regardless of how long operations take, but a slot is never in the past: after a stall the
 * schedule restarts from "now" instead of bursting to catch up (a token bucket of size one).
 */
public final class RequestBudget {
  private final long total;
  private final long deadlineNanos;
  private final long intervalNanos;
  /** Operations handed out so far; never exceeds {@code total} when {@code total > 0}. */
  private long claimed;
  /** The earliest time the next rate-limited slot may start. */
  private long nextSlotNanos;
  /** Set by {@link #stop()}: no further operation is handed out. */
  private boolean stopped;

  /**
   * @param total operations to run, or 0 when the run is bounded by duration
   * @param durationNanos length of the run, or 0 when bounded by {@code total}
   * @param ratePerSecond maximum starts per second, 0 for unlimited
   * @param startNanos when the run starts, on the scheduler's clock
   */
  public RequestBudget(long total, long durationNanos, double ratePerSecond, long startNanos) {
    if ((total > 0) == (durationNanos > 0)) {
      throw new IllegalArgumentException("exactly one of total (" + total
          + ") and duration (" + durationNanos + " ns) must be positive");
    }
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("rate must not be negative: " + ratePerSecond);
    }
    this.total = total;
    this.deadlineNanos = durationNanos > 0 ? startNanos + durationNanos : 0;
    this.intervalNanos = ratePerSecond > 0 ? Math.max(1, Math.round(1e9 / ratePerSecond)) : 0;
    this.nextSlotNanos = startNanos;
  }

  /**
   * Claims the next operation: its start time (at or after {@code nowNanos}), or empty when the
   * budget is spent or the next slot would fall past the deadline.
   */
  public synchronized OptionalLong claim(long nowNanos) {
    if (stopped || (total > 0 && claimed >= total)) {
      return OptionalLong.empty();
    }
    long slot = nowNanos;
    if (intervalNanos > 0) {
      slot = Math.max(nowNanos, nextSlotNanos);
    }
    if (deadlineNanos > 0 && slot >= deadlineNanos) {
      return OptionalLong.empty();
    }
    nextSlotNanos = slot + intervalNanos;
    claimed++;
    return OptionalLong.of(slot);
  }

  /** Ends the run early (a background load stopped by its owner): every later claim is refused. */
  public synchronized void stop() {
    stopped = true;
  }

  public synchronized long claimed() {
    return claimed;
  }
}
