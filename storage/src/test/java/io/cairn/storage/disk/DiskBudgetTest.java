package io.cairn.storage.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiskBudgetTest {
  private static final long MIB = 1L << 20;
  private static final long SEGMENT = 64 * MIB;
  private static final long BUFFER = 8 * MIB;

  @Test
  void aSixtyFourMibVolumeGetsEighthSizedSegmentsAndSmallBuffers() {
    DiskBudget budget = DiskBudget.forFreeSpace(64 * MIB, SEGMENT, BUFFER);
    assertEquals(8 * MIB, budget.walSegmentBytes());
    assertEquals(2 * MIB, budget.writeBufferBytes());
    assertEquals(512 * 1024, budget.infoLogFileBytes());
    assertEquals(14 * MIB, budget.reserveBytes(), "one more segment and a flush of three memtables");
  }

  @Test
  void aRoomyVolumeGetsTheConfiguredSizes() {
    DiskBudget budget = DiskBudget.forFreeSpace(100L << 30, SEGMENT, BUFFER);
    assertEquals(SEGMENT, budget.walSegmentBytes());
    assertEquals(BUFFER, budget.writeBufferBytes());
    assertEquals(8 * MIB, budget.infoLogFileBytes());
  }

  @Test
  void segmentsAreWholeMibAndNeverBelowTheFloor() {
    assertEquals(4 * MIB, DiskBudget.forFreeSpace(39 * MIB, SEGMENT, BUFFER).walSegmentBytes());
    DiskBudget tiny = DiskBudget.forFreeSpace(3 * MIB, SEGMENT, BUFFER);
    assertEquals(DiskBudget.MIN_SEGMENT_BYTES, tiny.walSegmentBytes());
    assertEquals(MIB, tiny.writeBufferBytes());
    assertEquals(256 * 1024, tiny.infoLogFileBytes());
  }

  @Test
  void aConfiguredSizeBelowTheFloorStaysAndUnknownFreeSpaceKeepsTheConfiguredSizes() {
    assertEquals(256 * 1024, DiskBudget.forFreeSpace(64 * MIB, 256 * 1024, BUFFER).walSegmentBytes());
    DiskBudget unknown = DiskBudget.forFreeSpace(-1, SEGMENT, BUFFER);
    assertEquals(SEGMENT, unknown.walSegmentBytes());
    assertEquals(BUFFER, unknown.writeBufferBytes());
  }
}
