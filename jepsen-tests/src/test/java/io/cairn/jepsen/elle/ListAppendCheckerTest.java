package io.cairn.jepsen.elle;

import static io.cairn.jepsen.history.OpType.FAIL;
import static io.cairn.jepsen.history.OpType.INFO;
import static io.cairn.jepsen.history.OpType.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.jepsen.Timeline;
import io.cairn.jepsen.history.MicroOp;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Calibration on hand-made list-append histories: one per anomaly, each classified as such. */
class ListAppendCheckerTest {

  private final ListAppendChecker checker = new ListAppendChecker();

  private static MicroOp append(String key, long value) {
    return MicroOp.append(key, value);
  }

  private static MicroOp read(String key, Long... values) {
    return MicroOp.read(key, Arrays.asList(values));
  }

  private ListAppendResult check(Timeline t) {
    return checker.check(t.history());
  }

  @Test
  void serialHistoryIsValid() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1), read("y")), 0, 10)
            .txn(2, OK, List.of(read("x", 1L), append("x", 2), append("y", 1)), 20, 30)
            .txn(1, OK, List.of(read("x", 1L, 2L), read("y", 1L)), 40, 50);
    ListAppendResult result = check(t);
    assertTrue(result.valid(), result.anomalies().toString());
    assertEquals(3, result.transactionsChecked());
  }

  @Test
  void concurrentTransactionsMayBeOrderedEitherWay() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 30)
            .txn(2, OK, List.of(read("x")), 10, 20) // ran before the concurrent append
            .txn(3, OK, List.of(read("x", 1L)), 40, 50);
    assertTrue(check(t).valid());
  }

  @Test
  void writeCycleIsG0() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1), append("y", 1)), 0, 20)
            .txn(2, OK, List.of(append("x", 2), append("y", 2)), 5, 25)
            .txn(3, OK, List.of(read("x", 1L, 2L), read("y", 2L, 1L)), 30, 40);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G0), result.types(), result.anomalies().toString());
    Anomaly g0 = result.anomalies().get(0);
    assertEquals(List.of(EdgeKind.WW, EdgeKind.WW), g0.edges());
    assertEquals(Set.of(0, 1), Set.copyOf(g0.ops().stream().map(o -> o.id()).toList()));
  }

  @Test
  void circularInformationFlowIsG1c() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1), read("y", 1L)), 0, 20)
            .txn(2, OK, List.of(append("y", 1), read("x", 1L)), 5, 25);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G1C), result.types(), result.anomalies().toString());
    assertEquals(List.of(EdgeKind.WR, EdgeKind.WR), result.anomalies().get(0).edges());
  }

  @Test
  void readSkewIsGSingle() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1), append("y", 1)), 0, 20)
            .txn(2, OK, List.of(read("x"), read("y", 1L)), 5, 25) // saw y after T1 but x before it
            .txn(3, OK, List.of(read("x", 1L)), 30, 40);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G_SINGLE), result.types(), result.anomalies().toString());
    Anomaly anomaly = result.anomalies().get(0);
    assertEquals(1, anomaly.edges().stream().filter(EdgeKind.RW::equals).count());
    assertEquals(Set.of(0, 1), Set.copyOf(anomaly.ops().stream().map(o -> o.id()).toList()));
  }

  @Test
  void writeSkewIsG2() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(read("x"), read("y"), append("x", 1)), 0, 20)
            .txn(2, OK, List.of(read("x"), read("y"), append("y", 1)), 5, 25)
            .txn(3, OK, List.of(read("x", 1L), read("y", 1L)), 30, 40);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G2), result.types(), result.anomalies().toString());
    assertEquals(List.of(EdgeKind.RW, EdgeKind.RW), result.anomalies().get(0).edges());
  }

  @Test
  void staleReadAfterAnAcknowledgedAppendIsARealTimeCycleAndALostAppend() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 10)
            .txn(2, OK, List.of(read("x")), 20, 30)
            .txn(3, OK, List.of(read("x", 1L)), 40, 50);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G_SINGLE_REALTIME, AnomalyType.LOST_APPEND), result.types(), result.anomalies().toString());
  }

  @Test
  void readingAFailedTransactionsAppendIsG1a() {
    Timeline t =
        new Timeline()
            .txn(1, FAIL, List.of(append("x", 1)), 0, 10)
            .txn(2, OK, List.of(read("x", 1L)), 20, 30);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G1A), result.types(), result.anomalies().toString());
  }

  @Test
  void readingBetweenTwoAppendsOfOneTransactionIsG1b() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1), append("x", 2)), 0, 20)
            .txn(2, OK, List.of(read("x", 1L)), 5, 25)
            .txn(3, OK, List.of(read("x", 1L, 2L)), 30, 40);
    ListAppendResult result = check(t);
    assertTrue(result.types().contains(AnomalyType.G1B), result.anomalies().toString());
  }

  @Test
  void anElementReadTwiceIsADuplicate() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 10)
            .txn(1, OK, List.of(append("x", 2)), 20, 30)
            .txn(2, OK, List.of(read("x", 1L, 2L, 1L)), 40, 50);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.DUPLICATE_ELEMENTS), result.types(), result.anomalies().toString());
  }

  @Test
  void anAcknowledgedAppendMissingFromALaterReadIsLost() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 10)
            .txn(2, OK, List.of(append("x", 2)), 20, 30)
            .txn(3, OK, List.of(read("x", 1L)), 40, 50);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.LOST_APPEND), result.types(), result.anomalies().toString());
    assertEquals(1, result.anomalies().get(0).ops().get(0).id());
  }

  @Test
  void readsThatAreNotPrefixesOfOneAnotherAreAnIncompatibleOrder() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 10)
            .txn(2, OK, List.of(append("x", 2)), 0, 10)
            .txn(3, OK, List.of(read("x", 1L, 2L)), 20, 30)
            .txn(4, OK, List.of(read("x", 2L, 1L)), 20, 30);
    ListAppendResult result = check(t);
    assertTrue(result.types().contains(AnomalyType.INCOMPATIBLE_ORDER), result.anomalies().toString());
  }

  @Test
  void anIndeterminateAppendMayHaveHappenedOrNot() {
    Timeline t =
        new Timeline()
            .txn(1, INFO, List.of(append("x", 1)), 0, 10)
            .txn(2, INFO, List.of(append("x", 2)), 0, 10)
            .txn(3, OK, List.of(read("x", 1L)), 20, 30)
            .txn(3, OK, List.of(read("x", 1L)), 40, 50);
    ListAppendResult result = check(t);
    assertTrue(result.valid(), result.anomalies().toString());
  }

  @Test
  void anElementNobodyAppendedIsAGarbageRead() {
    Timeline t = new Timeline().txn(1, OK, List.of(read("x", 9L)), 0, 10);
    assertEquals(Set.of(AnomalyType.GARBAGE_READ), check(t).types());
  }

  @Test
  void aTransactionThatDoesNotSeeItsOwnAppendIsInternallyInconsistent() {
    Timeline ownAppendMissing =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1), read("x")), 0, 10)
            .txn(2, OK, List.of(read("x", 1L)), 20, 30);
    assertEquals(Set.of(AnomalyType.INTERNAL), check(ownAppendMissing).types(), check(ownAppendMissing).anomalies().toString());
    Timeline secondReadDiffers =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 10)
            .txn(2, OK, List.of(read("x", 1L), append("x", 2), read("x", 2L)), 20, 30)
            .txn(3, OK, List.of(read("x", 1L, 2L)), 40, 50);
    assertTrue(check(secondReadDiffers).types().contains(AnomalyType.INTERNAL), check(secondReadDiffers).anomalies().toString());
    Timeline consistent =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 10)
            .txn(2, OK, List.of(read("x", 1L), append("x", 2), read("x", 1L, 2L)), 20, 30);
    assertTrue(check(consistent).valid(), check(consistent).anomalies().toString());
  }

  @Test
  void appendsOrderedAgainstRealTimeAreG0Realtime() {
    Timeline t =
        new Timeline()
            .txn(1, OK, List.of(append("x", 1)), 0, 10)
            .txn(2, OK, List.of(append("x", 2)), 20, 30) // began after the first append was acknowledged
            .txn(3, OK, List.of(read("x", 2L, 1L)), 40, 50);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G0_REALTIME), result.types(), result.anomalies().toString());
    assertEquals(List.of(EdgeKind.REALTIME, EdgeKind.WW), result.anomalies().get(0).edges()); // from op 0: rt to op 1, ww back
  }

  @Test
  void readingAnAppendMadeOnlyLaterIsG1cRealtime() {
    Timeline t =
        new Timeline()
            .txn(2, OK, List.of(read("x", 1L)), 0, 10)
            .txn(1, OK, List.of(append("x", 1)), 20, 30);
    ListAppendResult result = check(t);
    assertEquals(Set.of(AnomalyType.G1C_REALTIME), result.types(), result.anomalies().toString());
  }
}
