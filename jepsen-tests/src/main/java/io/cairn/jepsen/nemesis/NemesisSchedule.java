package io.cairn.jepsen.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Injects faults from a seeded random schedule until told to stop: a quiet spell, then a fault
 * (nemesis chosen at random among those enabled) held for a random time, then heal, and again. The
 * fault choices and durations depend only on the seed; when they happen relative to the clients'
 * operations depends on timing, as in any Jepsen run.
 */
public final class NemesisSchedule implements Runnable {

  private static final long MIN_QUIET_MILLIS = 1000;
  private static final long MAX_QUIET_MILLIS = 3000;
  private static final long MIN_HOLD_MILLIS = 2000;
  private static final long MAX_HOLD_MILLIS = 6000;

  private final List<Nemesis> nemeses;
  private final SplittableRandom random;
  private final long endNanos;
  private final Consumer<String> log;
  /** Waits (bounded) until the cluster serves again after a heal, so every quiet spell is really quiet. */
  private final Recovery recovery;
  /** Faults injected and healed so far. Guarded by this. */
  private final List<FaultInterval> faults = new ArrayList<>();

  /**
   * @param endNanos no fault is injected after this time ({@link System#nanoTime()} base); a fault in
   *     progress is healed at its planned time or on interrupt, whichever comes first
   */
  public NemesisSchedule(List<Nemesis> nemeses, long seed, long endNanos, Consumer<String> log, Recovery recovery) {
    this.nemeses = List.copyOf(nemeses);
    this.recovery = recovery;
    this.random = new SplittableRandom(seed);
    this.endNanos = endNanos;
    this.log = log;
  }

  @Override
  public void run() {
    if (nemeses.isEmpty()) {
      return;
    }
    try {
      while (true) {
        Thread.sleep(between(MIN_QUIET_MILLIS, MAX_QUIET_MILLIS));
        if (System.nanoTime() >= endNanos) {
          return;
        }
        Nemesis nemesis = nemeses.get(random.nextInt(nemeses.size()));
        long hold = between(MIN_HOLD_MILLIS, MAX_HOLD_MILLIS);
        long start = System.nanoTime();
        String what = nemesis.inject(random.split());
        log.accept("nemesis " + nemesis.name() + ": " + what);
        try {
          Thread.sleep(hold);
        } finally {
          nemesis.heal();
          long end = System.nanoTime();
          synchronized (this) {
            faults.add(new FaultInterval(nemesis.name(), what, start, end));
          }
          log.accept("nemesis " + nemesis.name() + ": healed");
        }
        recovery.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long between(long min, long max) {
    return min + random.nextLong(max - min + 1);
  }

  /** Waits for the cluster to recover after a heal (bounded; it returns even if the cluster did not). */
  @FunctionalInterface
  public interface Recovery {
    void await() throws InterruptedException;
  }

  public synchronized List<FaultInterval> faults() {
    return List.copyOf(faults);
  }
}
