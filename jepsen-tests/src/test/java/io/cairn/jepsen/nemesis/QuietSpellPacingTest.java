package io.cairn.jepsen.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuietSpellPacingTest {

  private static final long END_MILLIS = 60_000;

  @Test
  void quietSpellsOfOneToThreeSecondsHoldsOfTwoToSixAndARecoveryWaitAfterEachHeal() {
    SimulatedClock clock = new SimulatedClock();
    RecordingNemesis kill = new RecordingNemesis("kill", clock);
    List<Long> recoveredAt = new ArrayList<>();
    FaultPacing pacing = new QuietSpellPacing(clock, () -> {
      clock.advanceMillis(1500); // the cluster takes 1.5 s to serve again
      recoveredAt.add(clock.millis());
    });

    new NemesisSchedule(List.of(kill), 3, END_MILLIS * 1_000_000L, line -> { }, pacing, clock).run();

    assertTrue(kill.injectedAt.size() >= 6, kill.injectedAt::toString);
    for (int i = 0; i < kill.injectedAt.size(); i++) {
      long hold = kill.healedAt.get(i) - kill.injectedAt.get(i);
      assertTrue(hold >= 2000 && hold <= 6000, "hold " + hold);
      assertEquals(kill.healedAt.get(i) + 1500, recoveredAt.get(i));
      long quietSince = i == 0 ? 0 : recoveredAt.get(i - 1);
      long quiet = kill.injectedAt.get(i) - quietSince;
      assertTrue(quiet >= 1000 && quiet <= 3000, "quiet " + quiet);
    }
  }

  /** The default schedule draws from the seed in the same order as before pacings existed, so old seeds replay. */
  @Test
  void theDefaultScheduleReplaysTheSeedsOfEarlierRuns() {
    SimulatedClock clock = new SimulatedClock();
    RecordingNemesis partition = new RecordingNemesis("partition", clock);
    RecordingNemesis kill = new RecordingNemesis("kill", clock);
    FaultPacing pacing = new QuietSpellPacing(clock, () -> { });
    NemesisSchedule schedule = new NemesisSchedule(List.of(partition, kill), 7, END_MILLIS * 1_000_000L, line -> { },
        pacing, clock);

    schedule.run();

    // The earlier schedule's loop: quiet = 1000 + nextLong(2001), nemesis = nextInt(n), hold = 2000 +
    // nextLong(4001), the fault's own random = split().
    SplittableRandom random = new SplittableRandom(7);
    List<String> expected = new ArrayList<>();
    long now = 0;
    while (true) {
      now += 1000 + random.nextLong(2001);
      if (now >= END_MILLIS) {
        break;
      }
      String nemesis = random.nextInt(2) == 0 ? "partition" : "kill";
      long hold = 2000 + random.nextLong(4001);
      expected.add(now + " " + nemesis + ": fault " + random.split().nextInt(1000));
      now += hold;
    }
    List<String> actual = schedule.faults().stream()
        .map(f -> f.startNanos() / 1_000_000 + " " + f.nemesis() + ": " + f.description()).toList();
    assertEquals(expected, actual);
  }
}
