package io.cairn.jepsen.nemesis;

import java.util.SplittableRandom;

/**
 * A fault at a fixed cadence: fault k is due {@code k * period} after the schedule's start (k = 1, 2,
 * ...), is held for a fixed time and healed, and nothing waits for the cluster to recover. When a
 * fault (with its heal) overruns the next slot, the next fault is injected at once and the cadence
 * goes on from the latest slot that has passed; slots missed entirely are dropped rather than
 * crowded together.
 */
public final class FixedPeriodPacing implements FaultPacing {

  private final ScheduleClock clock;
  private final long startNanos;
  private final long periodMillis;
  private final long holdMillis;
  /** The slot of the last fault injected (0: none yet). */
  private long slot;

  /**
   * @param startNanos the schedule's time zero ({@link ScheduleClock#nanoTime()} base)
   * @param periodMillis time between two faults' injections, positive
   * @param holdMillis how long each fault lasts, at least 0 and less than the period
   */
  public FixedPeriodPacing(ScheduleClock clock, long startNanos, long periodMillis, long holdMillis) {
    requireValidTiming(periodMillis, holdMillis);
    this.clock = clock;
    this.startNanos = startNanos;
    this.periodMillis = periodMillis;
    this.holdMillis = holdMillis;
  }

  /** Throws unless the period is positive and the hold at least 0 and shorter than the period. */
  public static void requireValidTiming(long periodMillis, long holdMillis) {
    if (periodMillis <= 0 || holdMillis < 0 || holdMillis >= periodMillis) {
      throw new IllegalArgumentException("the fault period must be positive and the hold shorter than it (period "
          + periodMillis + " ms, hold " + holdMillis + " ms)");
    }
  }

  @Override
  public void awaitNextFault(SplittableRandom random) throws InterruptedException {
    long periodNanos = periodMillis * 1_000_000L;
    long passed = (clock.nanoTime() - startNanos) / periodNanos;
    slot = Math.max(slot + 1, passed);
    long due = startNanos + slot * periodNanos;
    long waitNanos = due - clock.nanoTime();
    if (waitNanos > 0) {
      clock.sleepMillis((waitNanos + 999_999) / 1_000_000);
    }
  }

  @Override
  public long holdMillis(SplittableRandom random) {
    return holdMillis;
  }

  @Override
  public void afterHeal() {
    // No recovery wait: the next fault comes at its slot whatever state the cluster is in.
  }

  @Override
  public String describe() {
    return "a fault every " + seconds(periodMillis) + " s, held " + seconds(holdMillis) + " s, no recovery wait";
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
  }
}
