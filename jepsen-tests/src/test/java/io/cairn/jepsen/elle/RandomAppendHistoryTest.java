package io.cairn.jepsen.elle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.MicroOp;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property calibration: histories of a real serial store are accepted for many seeds, and the same
 * histories are rejected once one non-empty read loses its last element, which turns that read stale.
 * A failing seed is in the message; replay it with {@link RandomAppendHistories#generate}.
 */
class RandomAppendHistoryTest {

  private static final long BASE_SEED = 0xE11EL;
  private static final int SEEDS = 100;

  private final ListAppendChecker checker = new ListAppendChecker();

  @Test
  void historiesOfASerialStoreAreAccepted() {
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      List<Op> events = RandomAppendHistories.generate(seed, 5, 30, 3);
      ListAppendResult result = checker.check(History.of(events));
      assertTrue(result.valid(), "seed " + seed + ": " + result.anomalies());
    }
  }

  @Test
  void aReadMissingTheLatestAppendItShouldSeeIsRejected() {
    int mutated = 0;
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      List<Op> events = new ArrayList<>(RandomAppendHistories.generate(seed, 5, 30, 3));
      if (dropLastElementOfOneRead(events, seed)) {
        mutated++;
        assertFalse(checker.check(History.of(events)).valid(), "seed " + seed + ": stale read accepted");
      }
    }
    assertTrue(mutated > SEEDS / 2, "too few histories had a read to mutate: " + mutated);
  }

  /**
   * Shortens one non-empty read of an OK transaction whose last element was appended by an OK
   * transaction that completed before the reader began: the shortened read misses an acknowledged,
   * real-time-earlier append, which strict serializability forbids.
   */
  private static boolean dropLastElementOfOneRead(List<Op> events, long seed) {
    History history = History.of(events);
    var ops = history.operations();
    for (int n = 0; n < ops.size(); n++) {
      var txn = ops.get((int) ((n + seed) % ops.size()));
      if (!txn.isOk()) {
        continue;
      }
      List<MicroOp> steps = txn.completion().txn();
      for (int s = 0; s < steps.size(); s++) {
        MicroOp step = steps.get(s);
        if (!step.isRead() || step.read().isEmpty() || !appendedBeforeBy(ops, step, txn.start())) {
          continue;
        }
        List<MicroOp> changed = new ArrayList<>(steps);
        changed.set(s, MicroOp.read(step.key(), step.read().subList(0, step.read().size() - 1)));
        Op c = txn.completion();
        events.set(events.indexOf(c), Op.txn(c.process(), OpType.OK, changed, c.timeNanos()));
        return true;
      }
    }
    return false;
  }

  private static boolean appendedBeforeBy(List<io.cairn.jepsen.history.CompletedOp> ops, MicroOp read, long start) {
    long last = read.read().get(read.read().size() - 1);
    return ops.stream()
        .anyMatch(o -> o.isOk() && o.end() < start
            && o.payload().txn().stream().anyMatch(m -> m.isAppend() && m.key().equals(read.key()) && m.value() == last));
  }
}
