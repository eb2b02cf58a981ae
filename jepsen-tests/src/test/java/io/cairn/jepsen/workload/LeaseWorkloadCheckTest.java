package io.cairn.jepsen.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.history.HistoryRecorder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lease checker on hand-made histories: a key must exist until its TTL ran out from the grant's invocation. */
class LeaseWorkloadCheckTest {

  private static final long SECOND = 1_000_000_000L;
  private static final String KEY = "jepsen/lease/0-0";

  /** Grant at 0 (ttl 3 s, answered at 0.1 s), put acknowledged at 0.2 s, then a read by another client in [start, end]. */
  private static History leaseThenRead(long readStart, long readEnd, Long readValue) {
    List<Op> events = new ArrayList<>();
    events.add(new Op(0, OpType.INVOKE, OpFunction.GRANT, KEY, null, null, null, 0, Op.UNKNOWN_REVISION));
    events.add(new Op(0, OpType.OK, OpFunction.GRANT, KEY, 3L, null, null, SECOND / 10, Op.UNKNOWN_REVISION));
    events.add(Op.write(0, OpType.INVOKE, KEY, 42, SECOND / 10));
    events.add(Op.write(0, OpType.OK, KEY, 42, 2 * SECOND / 10));
    events.add(Op.read(1, OpType.INVOKE, KEY, null, readStart));
    events.add(Op.read(1, OpType.OK, KEY, readValue, readEnd));
    return History.of(events);
  }

  @Test
  void keyMissingWithinTtlIsAnEarlyExpiry() {
    CheckReport report = new LeaseWorkload(new HistoryRecorder()).check(leaseThenRead(SECOND, 2 * SECOND, null));
    assertFalse(report.valid());
    assertEquals(1, report.anomalies().size());
    assertTrue(report.anomalies().get(0).startsWith("lease expired early"), report.anomalies().get(0));
  }

  @Test
  void keyPresentWithinTtlIsValid() {
    assertTrue(new LeaseWorkload(new HistoryRecorder()).check(leaseThenRead(SECOND, 2 * SECOND, 42L)).valid());
  }

  @Test
  void keyMissingOnceTtlMayHaveRunOutIsValid() {
    // The read ends 3.05 s after the grant was invoked: the leader may have granted at 0 and expired it.
    assertTrue(new LeaseWorkload(new HistoryRecorder()).check(leaseThenRead(2 * SECOND, 3 * SECOND + SECOND / 20, null)).valid());
  }

  @Test
  void readConcurrentWithThePutIsNotJudged() {
    assertTrue(new LeaseWorkload(new HistoryRecorder()).check(leaseThenRead(SECOND / 10 + 1, SECOND, null)).valid());
  }
}
