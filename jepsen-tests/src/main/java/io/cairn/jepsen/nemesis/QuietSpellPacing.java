package io.cairn.jepsen.nemesis;

import java.util.SplittableRandom;

/**
 * The default pacing: a random quiet spell of 1-3 s before each fault, a random hold of 2-6 s, and
 * after each heal a (bounded) wait until the cluster serves again, so that every quiet spell is
 * really quiet.
 */
public final class QuietSpellPacing implements FaultPacing {

  private static final long MIN_QUIET_MILLIS = 1000;
  private static final long MAX_QUIET_MILLIS = 3000;
  private static final long MIN_HOLD_MILLIS = 2000;
  private static final long MAX_HOLD_MILLIS = 6000;

  private final ScheduleClock clock;
  private final Recovery recovery;

  public QuietSpellPacing(ScheduleClock clock, Recovery recovery) {
    this.clock = clock;
    this.recovery = recovery;
  }

  @Override
  public void awaitNextFault(SplittableRandom random) throws InterruptedException {
    clock.sleepMillis(between(random, MIN_QUIET_MILLIS, MAX_QUIET_MILLIS));
  }

  @Override
  public long holdMillis(SplittableRandom random) {
    return between(random, MIN_HOLD_MILLIS, MAX_HOLD_MILLIS);
  }

  @Override
  public void afterHeal() throws InterruptedException {
    recovery.await();
  }

  @Override
  public String describe() {
    return "quiet 1-3 s, fault held 2-6 s, wait for recovery after each heal";
  }

  private static long between(SplittableRandom random, long min, long max) {
    return min + random.nextLong(max - min + 1);
  }

  /** Waits for the cluster to recover after a heal (bounded; it returns even if the cluster did not). */
  @FunctionalInterface
  public interface Recovery {
    void await() throws InterruptedException;
  }
}
