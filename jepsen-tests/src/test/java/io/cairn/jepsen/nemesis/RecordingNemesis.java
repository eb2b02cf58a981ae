package io.cairn.jepsen.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Test nemesis: records at which simulated millisecond each fault was injected and healed, and
 * describes each fault with a number drawn from the random it was given. A heal can be made to take
 * time (per fault, by its index).
 */
final class RecordingNemesis implements Nemesis {

  private final String name;
  private final SimulatedClock clock;
  private final IntUnaryOperator healMillisByFault;
  final List<Long> injectedAt = new ArrayList<>();
  final List<Long> healedAt = new ArrayList<>();

  RecordingNemesis(String name, SimulatedClock clock, IntUnaryOperator healMillisByFault) {
    this.name = name;
    this.clock = clock;
    this.healMillisByFault = healMillisByFault;
  }

  RecordingNemesis(String name, SimulatedClock clock) {
    this(name, clock, fault -> 0);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String inject(SplittableRandom random) {
    injectedAt.add(clock.millis());
    return "fault " + random.nextInt(1000);
  }

  @Override
  public void heal() {
    clock.advanceMillis(healMillisByFault.applyAsInt(healedAt.size()));
    healedAt.add(clock.millis());
  }
}
