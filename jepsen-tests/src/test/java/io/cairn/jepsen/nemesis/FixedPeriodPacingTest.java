package io.cairn.jepsen.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FixedPeriodPacingTest {

  private static final long SECOND = 1000;

  private static NemesisSchedule schedule(List<Nemesis> nemeses, SimulatedClock clock, long periodMillis, long holdMillis,
      long endMillis) {
    FaultPacing pacing = new FixedPeriodPacing(clock, clock.nanoTime(), periodMillis, holdMillis);
    return new NemesisSchedule(nemeses, 7, endMillis * 1_000_000L, line -> { }, pacing, clock);
  }

  @Test
  void injectsAFaultEveryPeriodAndHealsItAfterTheHold() {
    SimulatedClock clock = new SimulatedClock();
    RecordingNemesis kill = new RecordingNemesis("kill", clock);
    NemesisSchedule schedule = schedule(List.of(kill), clock, 5 * SECOND, SECOND, 60 * SECOND);

    schedule.run();

    // Slots at 5, 10, ..., 55 s; the slot at 60 s is the time limit, so no fault there.
    assertEquals(LongStream.rangeClosed(1, 11).map(k -> k * 5 * SECOND).boxed().toList(), kill.injectedAt);
    assertEquals(LongStream.rangeClosed(1, 11).map(k -> k * 5 * SECOND + SECOND).boxed().toList(), kill.healedAt);
    assertEquals(11, schedule.faults().size());
  }

  @Test
  void aFaultWhoseSlotPassedDuringTheLastOneComesAtOnceAndMissedSlotsAreDropped() {
    SimulatedClock clock = new SimulatedClock();
    // The second heal takes 7 s (done at 18 s: slot 15 s passed), the fourth 13 s (done at 34 s: slots
    // 25 and 30 s passed).
    RecordingNemesis slow = new RecordingNemesis("kill", clock, fault -> fault == 1 ? 7000 : fault == 3 ? 13_000 : 0);
    NemesisSchedule schedule = schedule(List.of(slow), clock, 5 * SECOND, SECOND, 42 * SECOND);

    schedule.run();

    assertEquals(List.of(5_000L, 10_000L, 18_000L, 20_000L, 34_000L, 35_000L, 40_000L), slow.injectedAt);
    assertEquals(List.of(6_000L, 18_000L, 19_000L, 34_000L, 35_000L, 36_000L, 41_000L), slow.healedAt);
  }

  @Test
  void aZeroHoldHealsRightAfterTheInjection() {
    SimulatedClock clock = new SimulatedClock();
    RecordingNemesis kill = new RecordingNemesis("kill", clock);

    schedule(List.of(kill), clock, 2 * SECOND, 0, 7 * SECOND).run();

    assertEquals(List.of(2_000L, 4_000L, 6_000L), kill.injectedAt);
    assertEquals(kill.injectedAt, kill.healedAt);
  }

  @Test
  void theChoiceOfNemesisAndFaultDependsOnlyOnTheSeed() {
    List<String> first = faultsWithSeed7();
    List<String> second = faultsWithSeed7();

    assertEquals(first, second);
    assertEquals(11, first.size());
    assertEquals(2, first.stream().map(f -> f.split(":")[0]).distinct().count(), first::toString);
  }

  private static List<String> faultsWithSeed7() {
    SimulatedClock clock = new SimulatedClock();
    NemesisSchedule schedule = schedule(List.of(new RecordingNemesis("kill", clock), new RecordingNemesis("pause", clock)),
        clock, 5 * SECOND, SECOND, 60 * SECOND);
    schedule.run();
    return schedule.faults().stream().map(f -> f.nemesis() + ": " + f.description()).toList();
  }

  @Test
  void aHoldAsLongAsThePeriodIsRefused() {
    SimulatedClock clock = new SimulatedClock();
    assertThrows(IllegalArgumentException.class, () -> new FixedPeriodPacing(clock, 0, 5 * SECOND, 5 * SECOND));
    assertThrows(IllegalArgumentException.class, () -> new FixedPeriodPacing(clock, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new FixedPeriodPacing(clock, 0, 5 * SECOND, -1));
  }
}
