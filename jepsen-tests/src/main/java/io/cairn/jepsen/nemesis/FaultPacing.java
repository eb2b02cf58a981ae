package io.cairn.jepsen.nemesis;

import java.util.SplittableRandom;

/**
 * When a {@link NemesisSchedule} injects its faults and how long it holds them. The schedule calls,
 * for each fault: {@link #awaitNextFault}, then (unless the run is over) picks the nemesis, asks
 * {@link #holdMillis}, injects, holds, heals, and calls {@link #afterHeal}. Any random choice is made
 * with the schedule's seeded random, so the schedule stays a function of the seed.
 */
public interface FaultPacing {

  /** Returns when the next fault is due. */
  void awaitNextFault(SplittableRandom random) throws InterruptedException;

  /** How long the fault about to be injected is held before it is healed. */
  long holdMillis(SplittableRandom random);

  /** Called after each heal, before {@link #awaitNextFault}. */
  void afterHeal() throws InterruptedException;

  /** For the run's log and verdict, e.g. "a fault every 5 s, held 1 s". */
  String describe();
}
