package io.cairn.storage.wal;

import static io.cairn.storage.wal.WalTestData.METADATA;
import static io.cairn.storage.wal.WalTestData.SMALL_SEGMENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalSnapshotTest {
  @TempDir Path dir;
  private final Random random = new Random(31);

  @Test
  void markerDropsCoveredEntriesOnRecovery() throws Exception {
    List<WalEntry> written = WalTestData.entries(random, 1, 30, 1, 40);
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(new WalHardState(1, 1, 30), written);
      wal.saveSnapshot(20, 1);
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      WalState state = wal.recoveredState();
      assertEquals(new WalSnapshotMarker(20, 1), state.snapshot());
      assertEquals(written.subList(20, 30), state.entries());
      assertEquals(new WalHardState(1, 1, 30), state.hardState());
    }
  }

  @Test
  void releaseDeletesOnlySegmentsCoveredByTheMarker() throws Exception {
    List<WalEntry> written = WalTestData.entries(random, 1, 300, 1, 100);
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, written);
      wal.sync();
      assertEquals(0, wal.releaseBefore(300), "no marker yet: nothing may be released");
      wal.saveSnapshot(180, 1);
      assertEquals(0, wal.releaseBefore(179), "no marker at or below 179");
      int segmentsBefore = wal.segments().size();
      int released = wal.releaseBefore(200);
      assertTrue(released > 0);
      List<SegmentName> left = wal.segments();
      assertEquals(segmentsBefore - released, left.size());
      assertEquals(left, WalRecovery.listSegments(dir));
      assertTrue(left.get(0).firstIndex() <= 181, "entry 181 must stay: " + left);
      assertTrue(left.get(1).firstIndex() > 181, "first kept segment was releasable: " + left);
      assertEquals(0, wal.releaseBefore(200), "releasing again deletes nothing");
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(new WalSnapshotMarker(180, 1), wal.recoveredState().snapshot());
      assertEquals(written.subList(180, 300), wal.recoveredState().entries());
    }
  }

  @Test
  void releaseKeepsTheSegmentHoldingTheMarker() throws Exception {
    List<WalEntry> written = WalTestData.entries(random, 1, 300, 1, 100);
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, written);
      wal.saveSnapshot(300, 1); // written to the last segment: every earlier one is covered
      assertEquals(wal.segments().size() - 1, wal.releaseBefore(300));
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(new WalSnapshotMarker(300, 1), wal.recoveredState().snapshot());
      assertEquals(List.of(), wal.recoveredState().entries());
      assertEquals(300, wal.lastIndex());
      List<WalEntry> more = WalTestData.entries(random, 301, 310, 2, 100);
      wal.append(null, more);
      wal.sync();
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(301, wal.recoveredState().entries().get(0).index());
      assertEquals(310, wal.lastIndex());
    }
  }

  @Test
  void snapshotBeyondTheLogStartsTheLogAfterIt() throws Exception {
    List<WalEntry> after;
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, WalTestData.entries(random, 1, 10, 1, 40));
      wal.saveSnapshot(50, 3);
      assertEquals(50, wal.lastIndex());
      assertThrows(IllegalArgumentException.class,
          () -> wal.append(null, WalTestData.entries(random, 11, 11, 3, 4)));
      assertThrows(IllegalArgumentException.class,
          () -> wal.append(null, WalTestData.entries(random, 50, 50, 3, 4)));
      after = WalTestData.entries(random, 51, 55, 3, 40);
      wal.append(null, after);
      wal.sync();
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(new WalSnapshotMarker(50, 3), wal.recoveredState().snapshot());
      assertEquals(after, wal.recoveredState().entries());
    }
  }

  @Test
  void markerMayNotGoBack() throws Exception {
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, WalTestData.entries(random, 1, 10, 2, 40));
      wal.saveSnapshot(8, 2);
      assertThrows(IllegalArgumentException.class, () -> wal.saveSnapshot(7, 2));
      assertThrows(IllegalArgumentException.class, () -> wal.saveSnapshot(8, 1));
      wal.saveSnapshot(8, 2); // repeating the newest marker is harmless
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(new WalSnapshotMarker(8, 2), wal.recoveredState().snapshot());
      assertEquals(List.of(9L, 10L), WalTestData.indexes(wal.recoveredState().entries()));
    }
  }

  @Test
  void rolledSegmentHeaderCarriesHardStateAndMarkerAfterRelease() throws Exception {
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(new WalHardState(4, 2, 100), WalTestData.entries(random, 1, 100, 4, 100));
      wal.saveSnapshot(100, 4);
      // these roll into new segments whose headers repeat the hard state and the marker
      wal.append(null, WalTestData.entries(random, 101, 200, 4, 100));
      wal.sync();
      assertTrue(wal.releaseBefore(100) > 0);
      wal.saveSnapshot(150, 4);
      assertTrue(wal.releaseBefore(150) > 0);
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(new WalHardState(4, 2, 100), wal.recoveredState().hardState());
      assertEquals(new WalSnapshotMarker(150, 4), wal.recoveredState().snapshot());
      assertEquals(151, wal.recoveredState().entries().get(0).index());
      assertEquals(200, wal.lastIndex());
    }
  }
}
