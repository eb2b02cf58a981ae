package io.cairn.jepsen.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock checker on seeded simulated runs: every correct run is valid, every unfenced write of a
 * broken lock is found (exactly those), and dropping an acknowledged write from the store's history is
 * found. A failing seed is in the assertion message; {@link RandomLockHistories#generate} replays it.
 */
class RandomLockHistoryTest {

  private static final int SEEDS = 300;
  private static final int STEPS = 400;
  private static final int CLIENTS = 4;

  @Test
  void correctRunsAreValid() {
    int refused = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      RandomLockHistories.Generated run = RandomLockHistories.generate(seed, STEPS, CLIENTS, false);
      LockCheckResult result = new LockChecker().check(run.history(), run.versions());
      assertTrue(result.valid(), "seed " + seed + ": " + result.anomalies());
      refused += result.summary().contains(" 0 refused by the fence") ? 0 : 1;
    }
    // The simulation must exercise lost locks, or this test proves little.
    assertTrue(refused > SEEDS / 2, "only " + refused + " of " + SEEDS + " runs had a write refused by the fence");
  }

  @Test
  void everyUnfencedWriteOfABrokenLockIsFound() {
    int broken = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      RandomLockHistories.Generated run = RandomLockHistories.generate(seed, STEPS, CLIENTS, true);
      LockCheckResult result = new LockChecker().check(run.history(), run.versions());
      long unfenced = result.anomalies().stream().filter(a -> a.type() == LockAnomalyType.UNFENCED_WRITE).count();
      assertEquals(run.unfencedWrites(), unfenced, "seed " + seed + ": " + result.anomalies());
      broken += run.unfencedWrites() > 0 ? 1 : 0;
    }
    assertTrue(broken > SEEDS / 2, "only " + broken + " of " + SEEDS + " runs had an unfenced write");
  }

  @Test
  void droppedAcknowledgedWriteIsLost() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      RandomLockHistories.Generated run = RandomLockHistories.generate(seed, STEPS, CLIENTS, false);
      List<ResourceVersion> versions = run.versions();
      if (versions.isEmpty()) {
        continue;
      }
      int drop = (int) (seed % versions.size());
      List<ResourceVersion> dropped = new ArrayList<>();
      for (int i = 0; i < versions.size(); i++) {
        ResourceVersion v = versions.get(i);
        if (i != drop) {
          dropped.add(new ResourceVersion(v.revision(), dropped.size() + 1, v.value(), v.lockKeys()));
        }
      }
      LockCheckResult result = new LockChecker().check(run.history(), dropped);
      String droppedId = "w" + FencedValue.parse(versions.get(drop).value()).writeId();
      boolean acknowledged = run.history().operations().stream().anyMatch(op -> op.isOk()
          && op.invoke().value() != null && op.f() == io.cairn.jepsen.history.OpFunction.FENCED_WRITE
          && ("w" + op.invoke().value()).equals(droppedId));
      assertEquals(acknowledged, result.anomalies().stream().anyMatch(a -> a.type() == LockAnomalyType.LOST_WRITE),
          "seed " + seed + " dropping " + droppedId + ": " + result.anomalies());
    }
  }
}
