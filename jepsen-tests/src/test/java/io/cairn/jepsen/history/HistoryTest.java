package io.cairn.jepsen.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

  @Test
  void invocationsArePairedWithTheirProcesssNextEvent() {
    History history =
        History.of(
            List.of(
                Op.write(1, OpType.INVOKE, "x", 1, 0),
                Op.read(2, OpType.INVOKE, "x", null, 5),
                Op.read(2, OpType.OK, "x", 1L, 8),
                Op.write(1, OpType.INFO, "x", 1, 20),
                Op.read(3, OpType.INVOKE, "x", null, 30)));
    List<CompletedOp> ops = history.operations();
    assertEquals(3, ops.size());
    assertEquals(List.of(0, 1, 2), ops.stream().map(CompletedOp::id).toList());
    assertTrue(ops.get(0).isIndeterminate());
    assertEquals(CompletedOp.NEVER, ops.get(0).end());
    assertEquals(8, ops.get(1).end());
    assertEquals(1L, ops.get(1).payload().value());
    assertNull(ops.get(2).completion());
    assertTrue(ops.get(2).isIndeterminate());
  }

  @Test
  void malformedHistoriesAreRejectedWithTheEventNamed() {
    IllegalArgumentException orphan =
        assertThrows(IllegalArgumentException.class, () -> History.of(List.of(Op.read(1, OpType.OK, "x", 1L, 0))));
    assertTrue(orphan.getMessage().contains("event 0"), orphan.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> History.of(List.of(Op.read(1, OpType.INVOKE, "x", null, 0), Op.read(1, OpType.INVOKE, "x", null, 1))));
    assertTrue(twice.getMessage().contains("outstanding"), twice.getMessage());
    IllegalArgumentException mismatch =
        assertThrows(
            IllegalArgumentException.class,
            () -> History.of(List.of(Op.read(1, OpType.INVOKE, "x", null, 0), Op.write(1, OpType.OK, "x", 1, 1))));
    assertTrue(mismatch.getMessage().contains("completes a READ"), mismatch.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> History.of(List.of(Op.read(1, OpType.INVOKE, "x", null, 10), Op.read(1, OpType.OK, "x", null, 5))));
  }
}
