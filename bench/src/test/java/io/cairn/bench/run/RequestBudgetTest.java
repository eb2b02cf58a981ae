package io.cairn.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {
  @Test
  void totalIsHandedOutExactly() {
    RequestBudget budget = new RequestBudget(1234, 0, 0, 0);
    long claimed = 0;
    while (budget.claim(claimed).isPresent()) {
      claimed++;
    }
    assertEquals(1234, claimed);
    assertEquals(1234, budget.claimed());
    assertTrue(budget.claim(10_000).isEmpty(), "a spent budget stays spent");
  }

  @Test
  void durationStopsClaimsAtTheDeadline() {
    RequestBudget budget = new RequestBudget(0, 1_000, 0, 500);
    assertEquals(OptionalLong.of(500), budget.claim(500));
    assertEquals(OptionalLong.of(1_499), budget.claim(1_499));
    assertTrue(budget.claim(1_500).isEmpty());
  }

  @Test
  void rateSpacesSlotsAndNeverSchedulesInThePast() {
    long seed = 42;
    SplittableRandom random = new SplittableRandom(seed);
    RequestBudget budget = new RequestBudget(0, 10_000_000_000L, 1000, 0); // 1 ms apart
    long now = 0;
    long previous = Long.MIN_VALUE;
    while (true) {
      now += random.nextLong(3_000_000); // callers arrive every 0..3 ms
      OptionalLong slot = budget.claim(now);
      if (slot.isEmpty()) {
        break;
      }
      assertTrue(slot.getAsLong() >= now, "seed " + seed + ": slot in the past");
      if (previous != Long.MIN_VALUE) {
        assertTrue(slot.getAsLong() - previous >= 1_000_000, "seed " + seed + ": slots too close");
      }
      previous = slot.getAsLong();
    }
  }

  @Test
  void stopRefusesEveryLaterClaim() {
    RequestBudget budget = new RequestBudget(0, 10_000_000_000L, 0, 0);
    assertTrue(budget.claim(1).isPresent());
    budget.stop();
    assertTrue(budget.claim(2).isEmpty());
    assertTrue(budget.claim(3).isEmpty());
    assertEquals(1, budget.claimed());
  }

  @Test
  void rejectsAmbiguousBounds() {
    assertThrows(IllegalArgumentException.class, () -> new RequestBudget(10, 10, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RequestBudget(0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RequestBudget(10, 0, -1, 0));
  }
}
