package io.cairn.storage.wal;

import static io.cairn.storage.wal.WalTestData.METADATA;
import static io.cairn.storage.wal.WalTestData.SMALL_SEGMENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRoundTripTest {
  @TempDir Path dir;

  @Test
  void createdLogReopensEmpty() throws Exception {
    Wal.create(dir, METADATA, SMALL_SEGMENTS).close();
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      WalState state = wal.recoveredState();
      assertEquals(METADATA, state.metadata());
      assertEquals(WalHardState.EMPTY, state.hardState());
      assertEquals(WalSnapshotMarker.NONE, state.snapshot());
      assertEquals(List.of(), state.entries());
      assertEquals(0, state.lastIndex());
    }
  }

  @Test
  void entriesAndHardStateSurviveReopen() throws Exception {
    Random random = new Random(11);
    List<WalEntry> written = WalTestData.entries(random, 1, 20, 2, 300);
    try (Wal wal = Wal.create(dir, METADATA, WalOptions.DEFAULTS)) {
      wal.append(new WalHardState(2, 7, 0), written.subList(0, 10));
      wal.sync();
      wal.append(new WalHardState(2, 7, 9), written.subList(10, 20));
      wal.sync();
    }
    try (Wal wal = Wal.open(dir)) {
      assertEquals(written, wal.recoveredState().entries());
      assertEquals(new WalHardState(2, 7, 9), wal.recoveredState().hardState());
      assertEquals(1, wal.segments().size());
    }
  }

  @Test
  void manySegmentsRollAndReplayInOrder() throws Exception {
    Random random = new Random(12);
    List<WalEntry> written = new ArrayList<>();
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      for (long index = 1; index <= 400; index += 8) {
        List<WalEntry> batch = WalTestData.entries(random, index, index + 7, 3, 200);
        wal.append(new WalHardState(3, 1, index - 1), batch);
        wal.sync();
        written.addAll(batch);
      }
      assertTrue(wal.segments().size() > 10, "expected many rolls, got " + wal.segments());
      for (SegmentName segment : wal.segments()) {
        assertTrue(Files.size(wal.segmentPath(segment)) >= SMALL_SEGMENTS.segmentBytes(),
            "segment not preallocated: " + segment);
      }
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(written, wal.recoveredState().entries());
      assertEquals(new WalHardState(3, 1, 392), wal.recoveredState().hardState());
      List<SegmentName> segments = wal.segments();
      for (int i = 1; i < segments.size(); i++) {
        assertEquals(segments.get(i - 1).sequence() + 1, segments.get(i).sequence());
        assertTrue(segments.get(i).firstIndex() > segments.get(i - 1).firstIndex());
      }
    }
  }

  @Test
  void entryLargerThanASegmentGetsItsOwnSegment() throws Exception {
    Random random = new Random(13);
    byte[] data = new byte[3 * 4096];
    random.nextBytes(data);
    List<WalEntry> written = List.of(WalTestData.entry(random, 1, 1, 100), new WalEntry(2, 1, 0, data),
        WalTestData.entry(random, 3, 1, 100));
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, written);
      wal.sync();
      assertEquals(3, wal.segments().size(), "the big entry goes alone into a segment: " + wal.segments());
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(written, wal.recoveredState().entries());
    }
  }

  @Test
  void laterEntryOverwritesEarlierOnesAtAndAboveItsIndex() throws Exception {
    assertOverwriteRule(new Random(14), 10, 50, 6, 8, 1);
  }

  @Test
  void overwriteAcrossSegmentsReplacesEntriesOfEarlierSegments() throws Exception {
    assertOverwriteRule(new Random(15), 100, 150, 3, 5, 3);
  }

  /**
   * Writes entries 1..count, then entries from..to of a later term (rolling if they do not fit one
   * segment), and checks that recovery keeps 1..from-1 of the first write and all of the second.
   */
  private void assertOverwriteRule(Random random, int count, int maxData, long from, long to, int minSegments)
      throws Exception {
    List<WalEntry> first = WalTestData.entries(random, 1, count, 1, maxData);
    List<WalEntry> replacement = WalTestData.entries(random, from, to, 2, maxData);
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, first);
      wal.sync();
      wal.append(null, replacement);
      assertEquals(to, wal.lastIndex());
      wal.sync();
      assertTrue(wal.segments().size() >= minSegments, "segments: " + wal.segments());
    }
    List<WalEntry> expected = new ArrayList<>(first.subList(0, (int) from - 1));
    expected.addAll(replacement);
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(expected, wal.recoveredState().entries());
      assertEquals(to, wal.lastIndex());
    }
  }

  @Test
  void badAppendsAreRejectedAndChangeNothing() throws Exception {
    Random random = new Random(16);
    List<WalEntry> written = WalTestData.entries(random, 1, 5, 1, 50);
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, written);
      long position = wal.writePosition();
      List<WalEntry> gap = WalTestData.entries(random, 7, 8, 1, 50);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wal.append(null, gap));
      assertTrue(e.getMessage().contains("1..6"), e.getMessage());
      List<WalEntry> holes = List.of(WalTestData.entry(random, 6, 1, 5), WalTestData.entry(random, 8, 1, 5));
      assertThrows(IllegalArgumentException.class, () -> wal.append(new WalHardState(9, 9, 9), holes));
      assertEquals(position, wal.writePosition());
      assertEquals(5, wal.lastIndex());
      wal.sync();
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENTS)) {
      assertEquals(written, wal.recoveredState().entries());
      assertEquals(WalHardState.EMPTY, wal.recoveredState().hardState());
    }
  }

  @Test
  void unchangedHardStateIsNotRewritten() throws Exception {
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(new WalHardState(1, 2, 0), List.of());
      long position = wal.writePosition();
      wal.append(new WalHardState(1, 2, 0), List.of());
      assertEquals(position, wal.writePosition());
      wal.append(new WalHardState(1, 2, 1), List.of());
      assertTrue(wal.writePosition() > position);
    }
  }

  @Test
  void createRefusesAnExistingLogAndOpenRefusesAMissingOne() throws Exception {
    Wal.create(dir, METADATA, SMALL_SEGMENTS).close();
    assertThrows(FileAlreadyExistsException.class, () -> Wal.create(dir, METADATA, SMALL_SEGMENTS));
    assertThrows(NoSuchFileException.class, () -> Wal.open(dir.resolve("absent")));
    assertTrue(Wal.exists(dir));
  }

  @Test
  void openRefusesAnotherMembersLog() throws Exception {
    Wal.create(dir, METADATA, SMALL_SEGMENTS).close();
    WalMetadata otherMember = new WalMetadata(METADATA.memberId() + 1, METADATA.clusterId());
    WalMetadata otherCluster = new WalMetadata(METADATA.memberId(), METADATA.clusterId() + 1);
    assertThrows(WalMetadataMismatchException.class, () -> Wal.open(dir, otherMember, SMALL_SEGMENTS));
    assertThrows(WalMetadataMismatchException.class, () -> Wal.open(dir, otherCluster, SMALL_SEGMENTS));
    Wal.open(dir, METADATA, SMALL_SEGMENTS).close();
  }

  @Test
  void segmentFromAnotherMembersLogIsCorruption(@TempDir Path otherDir) throws Exception {
    Random random = new Random(17);
    Path foreign;
    try (Wal other = Wal.create(otherDir, new WalMetadata(99, 98), SMALL_SEGMENTS)) {
      other.append(null, WalTestData.entries(random, 1, 60, 1, 150));
      other.sync();
      foreign = other.segmentPath(other.segments().get(1));
    }
    SegmentName second;
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, WalTestData.entries(random, 1, 60, 1, 150));
      wal.sync();
      second = wal.segments().get(1);
    }
    Files.copy(foreign, dir.resolve(second.fileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(dir, SMALL_SEGMENTS));
    assertEquals(dir.resolve(second.fileName()), e.file());
    assertTrue(e.getMessage().contains("metadata"), e.getMessage());
  }

  @Test
  void missingMiddleSegmentIsCorruption() throws Exception {
    Random random = new Random(18);
    SegmentName second;
    try (Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS)) {
      wal.append(null, WalTestData.entries(random, 1, 100, 1, 150));
      wal.sync();
      second = wal.segments().get(1);
    }
    Files.delete(dir.resolve(second.fileName()));
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(dir, SMALL_SEGMENTS));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void closedOrFailedLogRefusesFurtherUse() throws Exception {
    Wal wal = Wal.create(dir, METADATA, SMALL_SEGMENTS);
    wal.close();
    assertThrows(IllegalStateException.class, () -> wal.append(null, List.of()));
    assertThrows(IllegalStateException.class, wal::sync);
  }
}
