package io.cairn.jepsen.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Property calibration: histories from a real sequential register are accepted for many seeds, and the
 * same histories with one read corrupted are rejected. A failing seed is in the assertion message;
 * replay it with {@link RandomRegisterHistories#generate}.
 */
class RandomRegisterHistoryTest {

  private static final long BASE_SEED = 0x5EED_7L;
  private static final int SEEDS = 200;

  private final LinearizabilityChecker<RegisterModel.State> checker = LinearizabilityChecker.forRegisters();

  @Test
  void historiesOfARealRegisterAreAccepted() {
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      List<Op> events = RandomRegisterHistories.generate(seed, 5, 20, 2);
      LinearizabilityResult result = checker.check(History.of(events));
      assertTrue(result.valid(), "seed " + seed + ": " + result.failures());
    }
  }

  @Test
  void aReadOfAValueNeverWrittenIsRejected() {
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      List<Op> events = RandomRegisterHistories.generate(seed, 5, 20, 2);
      SplittableRandom random = new SplittableRandom(seed);
      Optional<List<Op>> corrupted = corruptOneRead(events, random, read -> -1L);
      if (corrupted.isEmpty()) {
        continue;
      }
      assertFalse(checker.check(History.of(corrupted.get())).valid(), "seed " + seed + " corrupted read accepted");
    }
  }

  @Test
  void aReadOfAValueWrittenOnlyAfterTheReadCompletedIsRejected() {
    int corruptedHistories = 0;
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      List<Op> events = RandomRegisterHistories.generate(seed, 5, 20, 2);
      History history = History.of(events);
      SplittableRandom random = new SplittableRandom(seed);
      Optional<List<Op>> corrupted =
          corruptOneRead(events, random, read -> futureWrite(history, read).map(w -> w.payload().value()).orElse(null));
      if (corrupted.isEmpty()) {
        continue;
      }
      corruptedHistories++;
      assertFalse(checker.check(History.of(corrupted.get())).valid(), "seed " + seed + " read from the future accepted");
    }
    assertTrue(corruptedHistories > SEEDS / 2, "too few histories had a read to corrupt: " + corruptedHistories);
  }

  @Test
  void searchStaysFastOnLongHighlyConcurrentHistories() {
    // 10 clients x 60 operations on one key: 600 operations, ~10 concurrent at any time.
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (long seed = BASE_SEED; seed < BASE_SEED + 5; seed++) {
            List<Op> events = RandomRegisterHistories.generate(seed, 10, 60, 1);
            assertTrue(checker.check(History.of(events)).valid(), "seed " + seed);
            List<Op> corrupted = corruptOneRead(events, new SplittableRandom(seed), read -> -1L).orElseThrow();
            assertFalse(checker.check(History.of(corrupted)).valid(), "seed " + seed);
          }
        });
  }

  @Test
  void aKeyThatExceedsTheSearchBudgetIsUndecidedNotValid() {
    List<Op> events = RandomRegisterHistories.generate(BASE_SEED, 10, 60, 1);
    LinearizabilityResult result = new LinearizabilityChecker<>(new RegisterModel(), 50).check(History.of(events));
    assertFalse(result.valid());
    assertTrue(result.failures().isEmpty(), result.failures().toString());
    assertEquals(List.of("k0"), result.undecidedKeys());
  }

  /** A write of the read's key invoked after the read completed, if any. */
  private static Optional<CompletedOp> futureWrite(History history, CompletedOp read) {
    return history.operations().stream()
        .filter(o -> o.f() == OpFunction.WRITE && o.invoke().key().equals(read.invoke().key()))
        .filter(o -> o.start() > read.end())
        .findFirst();
  }

  /**
   * Replaces the result of one randomly chosen OK read for which {@code newValue} gives a non-null value.
   */
  private static Optional<List<Op>> corruptOneRead(
      List<Op> events, SplittableRandom random, java.util.function.Function<CompletedOp, Long> newValue) {
    History history = History.of(events);
    Predicate<CompletedOp> candidate = o -> o.f() == OpFunction.READ && o.isOk() && newValue.apply(o) != null;
    List<CompletedOp> reads = history.operations().stream().filter(candidate).toList();
    if (reads.isEmpty()) {
      return Optional.empty();
    }
    CompletedOp victim = reads.get(random.nextInt(reads.size()));
    Long replacement = newValue.apply(victim);
    List<Op> corrupted = new ArrayList<>(events);
    int index = events.indexOf(victim.completion());
    Op c = victim.completion();
    corrupted.set(index, Op.read(c.process(), OpType.OK, c.key(), replacement, c.timeNanos()));
    return Optional.of(corrupted);
  }
}
