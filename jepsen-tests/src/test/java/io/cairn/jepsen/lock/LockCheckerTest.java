package io.cairn.jepsen.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.jepsen.history.OpType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock checker on hand-made histories: correct fencing passes, each kind of violation is named. */
class LockCheckerTest {

  /**
   * p1 acquires with token 10 and writes at revision 11; p2's key (token 12) waits; p1 releases at 13,
   * p2 acquires and writes at 14.
   */
  private static LockHistoryBuilder twoTenures() {
    return new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.OK, 11, 20, 30)
        .release(1, 10, 40, 50)
        .acquire(2, 12, 5, 60)
        .write(2, 2, 12, OpType.OK, 14, 70, 80)
        .release(2, 12, 90, 100)
        .version(11, 1, 1, 10, 1, 10, 2, 12)
        .version(14, 2, 2, 12, 2, 12);
  }

  private static List<LockAnomalyType> types(LockCheckResult result) {
    return result.anomalies().stream().map(LockAnomaly::type).distinct().toList();
  }

  @Test
  void correctlyFencedTenuresAreValid() {
    LockCheckResult result = twoTenures().check();
    assertTrue(result.valid(), result.anomalies().toString());
    assertTrue(result.summary().contains("2 acquisitions"), result.summary());
    assertTrue(result.summary().contains("2 fenced writes acknowledged"), result.summary());
    assertTrue(result.summary().contains("2 versions of the resource checked"), result.summary());
  }

  /** Calibration: p2 writes while p1 (older key) still holds the lock. */
  @Test
  void unfencedWriteDuringAnotherTenureIsRejected() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .acquire(2, 12, 5, 15)
        .write(2, 1, 12, OpType.OK, 14, 20, 30)
        .write(1, 2, 10, OpType.OK, 16, 35, 40)
        .version(14, 1, 2, 12, 1, 10, 2, 12)
        .version(16, 2, 1, 10, 1, 10, 2, 12)
        .check();
    assertFalse(result.valid());
    LockAnomaly first = result.anomalies().get(0);
    assertEquals(LockAnomalyType.UNFENCED_WRITE, first.type());
    assertTrue(first.explanation().contains("w1 by p2 with token 12 at revision 14"), first.explanation());
    assertTrue(first.explanation().contains("held by " + LockHistoryBuilder.lockKey(1) + " (token 10)"), first.explanation());
  }

  /** Calibration: the resource's history goes from token 12 back to token 10. */
  @Test
  void tokensGoingBackwardsAreRejected() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(2, 12, 0, 10)
        .write(2, 1, 12, OpType.OK, 14, 20, 30)
        .acquire(1, 10, 0, 35)
        .write(1, 2, 10, OpType.OK, 16, 40, 50)
        .version(14, 1, 2, 12, 2, 12)
        .version(16, 2, 1, 10, 1, 10)
        .check();
    assertFalse(result.valid());
    assertTrue(types(result).contains(LockAnomalyType.TOKEN_BACKWARDS), result.anomalies().toString());
    assertTrue(types(result).contains(LockAnomalyType.STALE_HOLDER_WRITE), result.anomalies().toString());
  }

  @Test
  void writeWithoutItsLockKeyIsUnfenced() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.OK, 14, 20, 30)
        .version(14, 1, 1, 10)
        .check();
    assertEquals(List.of(LockAnomalyType.UNFENCED_WRITE), types(result));
    assertTrue(result.anomalies().get(0).explanation().contains("did not exist"), result.anomalies().toString());
  }

  @Test
  void lockKeyRecreatedWithAnotherCreateRevisionIsUnfenced() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.OK, 14, 20, 30)
        .version(14, 1, 1, 10, 1, 13)
        .check();
    assertEquals(List.of(LockAnomalyType.UNFENCED_WRITE), types(result));
    assertTrue(result.anomalies().get(0).explanation().contains("had create_revision 13"), result.anomalies().toString());
  }

  @Test
  void acknowledgedWriteMissingFromTheHistoryIsLost() {
    LockHistoryBuilder b = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.OK, 11, 20, 30)
        .write(1, 2, 10, OpType.OK, 12, 40, 50)
        .version(11, 1, 1, 10, 1, 10);
    LockCheckResult result = b.check();
    assertEquals(List.of(LockAnomalyType.LOST_WRITE), types(result));
    assertTrue(result.anomalies().get(0).explanation().contains("w2"), result.anomalies().toString());
  }

  @Test
  void writeNoClientInvokedIsUnknown() {
    LockCheckResult result = twoTenures().version(15, 99, 2, 12, 2, 12).check();
    assertEquals(List.of(LockAnomalyType.UNKNOWN_WRITE), types(result));
    assertTrue(result.anomalies().get(0).explanation().contains("w99 at revision 15 was never invoked"), result.anomalies().toString());
  }

  @Test
  void valueThatIsNotAFencedWriteIsUnknown() {
    LockCheckResult result = twoTenures().rawVersion(15, 3, "hello").check();
    assertEquals(List.of(LockAnomalyType.UNKNOWN_WRITE), types(result));
  }

  @Test
  void refusedWriteThatWasAppliedIsReported() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.FAIL, 14, 20, 30)
        .version(14, 1, 1, 10, 1, 10)
        .check();
    assertEquals(List.of(LockAnomalyType.REFUSED_WRITE_APPLIED), types(result));
  }

  /** A holder whose lease expired has its write refused: correct, and not an anomaly. */
  @Test
  void refusedWriteOfALostLockIsValid() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .acquire(2, 12, 5, 30)
        .write(1, 1, 10, OpType.FAIL, 13, 20, 40)
        .write(2, 2, 12, OpType.OK, 14, 35, 45)
        .version(14, 2, 2, 12, 2, 12)
        .check();
    assertTrue(result.valid(), result.anomalies().toString());
    assertTrue(result.summary().contains("1 refused by the fence"), result.summary());
    assertTrue(result.summary().contains("1 pairs of overlapping tenures"), result.summary());
  }

  @Test
  void indeterminateWritesMayOrMayNotAppear() {
    LockHistoryBuilder b = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.INFO, 0, 20, 30)
        .acquire(2, 12, 0, 40)
        .write(2, 2, 12, OpType.INFO, 0, 50, 60)
        .version(11, 1, 1, 10, 1, 10, 2, 12);
    assertTrue(b.check().valid(), b.check().anomalies().toString());
  }

  @Test
  void acknowledgementAtAnotherRevisionIsMisplaced() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.OK, 12, 20, 30)
        .version(11, 1, 1, 10, 1, 10)
        .check();
    assertEquals(List.of(LockAnomalyType.MISPLACED_WRITE), types(result));
  }

  @Test
  void writeAppearingTwiceIsMisplaced() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.INFO, 0, 20, 30)
        .version(11, 1, 1, 10, 1, 10)
        .version(12, 1, 1, 10, 1, 10)
        .check();
    assertEquals(List.of(LockAnomalyType.MISPLACED_WRITE), types(result));
  }

  /** p1's older-token write invoked after p2's newer-token write was acknowledged, yet acknowledged too. */
  @Test
  void olderTokenAcknowledgedAfterNewerTokenIsAStaleHolderWrite() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .acquire(2, 12, 5, 20)
        .write(2, 1, 12, OpType.OK, 14, 25, 30)
        .write(1, 2, 10, OpType.OK, 13, 35, 40)
        .version(13, 2, 1, 10, 1, 10)
        .version(14, 1, 2, 12, 2, 12)
        .check();
    assertEquals(List.of(LockAnomalyType.STALE_HOLDER_WRITE), types(result));
    String explanation = result.anomalies().get(0).explanation();
    assertTrue(explanation.contains("(token 10) was invoked after"), explanation);
    assertTrue(explanation.contains("both believed they held the lock at once"), explanation);
  }

  @Test
  void gapInTheReadBackIsReported() {
    LockCheckResult result = new LockHistoryBuilder()
        .acquire(1, 10, 0, 10)
        .write(1, 1, 10, OpType.INFO, 0, 20, 30)
        .write(2, 2, 10, OpType.INFO, 0, 20, 30)
        .rawVersion(11, 1, new FencedValue(1, 1, 10, LockHistoryBuilder.lockKey(1)).render())
        .rawVersion(12, 3, new FencedValue(2, 2, 10, LockHistoryBuilder.lockKey(1)).render())
        .check();
    assertTrue(types(result).contains(LockAnomalyType.INCOMPLETE_READ_BACK), result.anomalies().toString());
  }

  @Test
  void fencedValueRoundTripsAndRejectsGarbage() {
    FencedValue v = new FencedValue(7, 3, 1234, "jepsen/lock/lock/694d8a");
    assertEquals(v, FencedValue.parse(v.render()));
    assertThrows(IllegalArgumentException.class, () -> FencedValue.parse("write=7 process=3"));
    assertThrows(IllegalArgumentException.class, () -> FencedValue.parse("write=x process=3 token=1 lock=k"));
    assertThrows(IllegalArgumentException.class, () -> FencedValue.parse("42"));
  }
}
