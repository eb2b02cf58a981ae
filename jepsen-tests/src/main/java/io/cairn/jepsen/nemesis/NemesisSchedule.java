package io.cairn.jepsen.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Injects faults from a seeded schedule until told to stop: wait until the next fault is due (the
 * {@link FaultPacing} decides when), inject a fault (nemesis chosen at random among those enabled),
 * hold it, heal, and again. The fault choices and durations depend only on the seed; when they happen
 * relative to the clients' operations depends on timing, as in any Jepsen run.
 */
public final class NemesisSchedule implements Runnable {

  private final List<Nemesis> nemeses;
  private final SplittableRandom random;
  private final long endNanos;
  private final Consumer<String> log;
  private final FaultPacing pacing;
  private final ScheduleClock clock;
  /** Faults injected and healed so far. Guarded by this. */
  private final List<FaultInterval> faults = new ArrayList<>();

  /**
   * @param endNanos no fault is injected at or after this time ({@code clock}'s base); a fault in
   *     progress is healed at its planned time or on interrupt, whichever comes first
   */
  public NemesisSchedule(List<Nemesis> nemeses, long seed, long endNanos, Consumer<String> log, FaultPacing pacing,
      ScheduleClock clock) {
    this.nemeses = List.copyOf(nemeses);
    this.random = new SplittableRandom(seed);
    this.endNanos = endNanos;
    this.log = log;
    this.pacing = pacing;
    this.clock = clock;
  }

  @Override
  public void run() {
    if (nemeses.isEmpty()) {
      return;
    }
    try {
      while (true) {
        pacing.awaitNextFault(random);
        if (clock.nanoTime() >= endNanos) {
          return;
        }
        Nemesis nemesis = nemeses.get(random.nextInt(nemeses.size()));
        long hold = pacing.holdMillis(random);
        long start = clock.nanoTime();
        String what = nemesis.inject(random.split());
        log.accept("nemesis " + nemesis.name() + ": " + what);
        try {
          clock.sleepMillis(hold);
        } finally {
          nemesis.heal();
          long end = clock.nanoTime();
          synchronized (this) {
            faults.add(new FaultInterval(nemesis.name(), what, start, end));
          }
          log.accept("nemesis " + nemesis.name() + ": healed");
        }
        pacing.afterHeal();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized List<FaultInterval> faults() {
    return List.copyOf(faults);
  }
}
