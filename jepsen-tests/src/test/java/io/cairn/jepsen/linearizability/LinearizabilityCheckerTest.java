package io.cairn.jepsen.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.jepsen.Timeline;
import io.cairn.jepsen.history.OpFunction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calibration on hand-made register histories: each known-bad shape is rejected, each legal one accepted. */
class LinearizabilityCheckerTest {

  private final LinearizabilityChecker<RegisterModel.State> checker = LinearizabilityChecker.forRegisters();

  @Test
  void readsConcurrentWithAWriteMayObserveEitherValueInAConsistentOrder() {
    Timeline legal =
        new Timeline()
            .write(1, "x", 1, 0, 10)
            .write(2, "x", 2, 20, 60)
            .read(4, "x", 1L, 25, 40) // before the pending write takes effect
            .read(3, "x", 2L, 35, 50) // after it
            .read(5, "x", 2L, 70, 80);
    assertTrue(checker.check(legal.history()).valid());
  }

  @Test
  void aReadCannotGoBackToTheOldValueAfterAnEarlierReadSawTheNewOne() {
    Timeline t =
        new Timeline()
            .write(1, "x", 1, 0, 10)
            .write(2, "x", 2, 20, 60)
            .read(3, "x", 2L, 25, 30) // the pending write has taken effect by 30
            .read(4, "x", 1L, 35, 40) // so 1 is gone for good: nobody writes 1 again
            .read(5, "x", 2L, 70, 80);
    LinearizabilityResult result = checker.check(t.history());
    assertFalse(result.valid());
    assertEquals(4, result.failures().get(0).op().process());
  }

  @Test
  void staleReadIsRejectedAndExplained() {
    Timeline t =
        new Timeline()
            .write(1, "x", 1, 0, 10)
            .write(1, "x", 2, 20, 30)
            .read(2, "x", 1L, 40, 50); // the write of 2 completed before this read began
    LinearizabilityResult result = checker.check(t.history());
    assertFalse(result.valid());
    NonLinearizableKey failure = result.failures().get(0);
    assertEquals("x", failure.key());
    assertEquals(OpFunction.READ, failure.op().f());
    assertEquals(List.of(new RegisterModel.State(2L)), failure.statesBefore());
    assertEquals(2, failure.linearizedBefore());
  }

  @Test
  void readOfAnAbsentKeyAfterAWriteIsRejected() {
    Timeline t = new Timeline().write(1, "x", 1, 0, 10).read(2, "x", null, 20, 30);
    assertFalse(checker.check(t.history()).valid());
    assertTrue(checker.check(new Timeline().read(2, "x", null, 0, 5).write(1, "x", 1, 10, 20).history()).valid());
  }

  @Test
  void lostUpdateTwoCasFromTheSameValueIsRejected() {
    Timeline t =
        new Timeline()
            .write(1, "x", 0, 0, 10)
            .cas(2, "x", 0, 1, 20, 40)
            .cas(3, "x", 0, 2, 25, 45)
            .read(1, "x", 2L, 50, 60);
    LinearizabilityResult result = checker.check(t.history());
    assertFalse(result.valid(), "both CAS 0->1 and 0->2 succeeded: one of them lost the other's update");
    assertEquals(OpFunction.CAS, result.failures().get(0).op().f());
  }

  @Test
  void failedCasTookNoEffect() {
    Timeline t =
        new Timeline()
            .write(1, "x", 0, 0, 10)
            .cas(2, "x", 0, 1, 20, 40)
            .casFailed(3, "x", 0, 2, 25, 45)
            .read(1, "x", 1L, 50, 60);
    assertTrue(checker.check(t.history()).valid());
  }

  @Test
  void indeterminateWriteMayTakeEffectLongAfterItsTimeout() {
    Timeline t =
        new Timeline()
            .write(1, "x", 1, 0, 10)
            .writeInfo(2, "x", 2, 20, 30) // client gave up at 30
            .read(3, "x", 1L, 40, 50) // not applied yet
            .read(3, "x", 2L, 60, 70) // applied now, after the timeout
            .read(3, "x", 2L, 80, 90);
    assertTrue(checker.check(t.history()).valid());
  }

  @Test
  void indeterminateWriteMayNeverTakeEffect() {
    Timeline t = new Timeline().write(1, "x", 1, 0, 10).writeInfo(2, "x", 2, 20, 30).read(3, "x", 1L, 40, 50);
    assertTrue(checker.check(t.history()).valid());
  }

  @Test
  void indeterminateCasThatCouldNeverApplyDoesNotBlockTheHistory() {
    Timeline t = new Timeline().write(1, "x", 1, 0, 10).casInfo(2, "x", 7, 8, 20, 30).read(3, "x", 1L, 40, 50);
    assertTrue(checker.check(t.history()).valid());
  }

  @Test
  void indeterminateWriteCannotTakeEffectBeforeItsInvocation() {
    Timeline t = new Timeline().write(1, "x", 1, 0, 10).read(3, "x", 2L, 20, 30).writeInfo(2, "x", 2, 40, 50);
    assertFalse(checker.check(t.history()).valid());
  }

  @Test
  void keysAreCheckedIndependentlyAndOnlyTheBadKeyIsReported() {
    Timeline t =
        new Timeline()
            .write(1, "x", 1, 0, 10)
            .write(2, "y", 5, 0, 10)
            .read(1, "x", 1L, 20, 30)
            .read(2, "y", 4L, 20, 30);
    LinearizabilityResult result = checker.check(t.history());
    assertEquals(1, result.failures().size());
    assertEquals("y", result.failures().get(0).key());
    assertEquals(4, result.operationsChecked());
  }
}
