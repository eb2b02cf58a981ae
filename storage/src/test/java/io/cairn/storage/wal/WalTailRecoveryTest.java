package io.cairn.storage.wal;

import static io.cairn.storage.wal.WalTestData.METADATA;
import static io.cairn.storage.wal.WalTestData.SMALL_SEGMENTS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What recovery does with damage: a torn or corrupt tail of the last segment is wiped, anything that
 * could be damage inside durable data is refused.
 */
class WalTailRecoveryTest {
  private static final long SEED = 21;
  private static final WalOptions OPTIONS = new WalOptions(64 * 1024);

  @TempDir Path dir;
  private final Random random = new Random(SEED);
  /** Six entries in one segment; the last one is the record the tests damage. */
  private final List<WalEntry> written = new ArrayList<>();
  private Path segment;
  /** Offsets where each entry's record starts, and where the last one ends. */
  private final List<Long> recordStarts = new ArrayList<>();
  private long end;
  private byte[] pristine;

  @BeforeEach
  void writeSixEntries() throws Exception {
    try (Wal wal = Wal.create(dir, METADATA, OPTIONS)) {
      for (long index = 1; index <= 6; index++) {
        WalEntry entry = WalTestData.entry(random, index, 1, 60);
        recordStarts.add(wal.writePosition());
        wal.append(null, List.of(entry));
        wal.sync();
        written.add(entry);
      }
      end = wal.writePosition();
      segment = wal.segmentPath(wal.segments().get(0));
    }
    pristine = Files.readAllBytes(segment);
  }

  @Test
  void cleanPreallocatedTailRecoversEverything() throws Exception {
    assertEquals(OPTIONS.segmentBytes(), Files.size(segment));
    assertRecovers(written);
    assertEquals(OPTIONS.segmentBytes(), Files.size(segment));
  }

  @Test
  void lastRecordTornAtEveryOffsetRecoversThePreviousRecords() throws Exception {
    for (long tear = recordStarts.get(5); tear < end; tear++) {
      restore();
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        channel.truncate(tear);
      }
      assertRecovers(written.subList(0, 5), "file cut at " + tear);
      restore();
      overwrite(tear, new byte[(int) (end - tear)]);
      assertRecovers(written.subList(0, 5), "zeroed from " + tear);
    }
  }

  @Test
  void bitFlipInEveryByteOfTheLastRecordIsTruncated() throws Exception {
    long lastStart = recordStarts.get(5);
    for (long offset = lastStart; offset < end; offset++) {
      restore();
      flipBit(offset, random.nextInt(8));
      assertRecovers(written.subList(0, 5), "bit flipped at " + offset + " (seed " + SEED + ")");
    }
  }

  @Test
  void bitFlipInAnEarlierRecordFollowedByIntactOnesIsCorruption() throws Exception {
    long start = recordStarts.get(2);
    for (long offset = start; offset < recordStarts.get(3); offset++) {
      restore();
      flipBit(offset, random.nextInt(8));
      byte[] damaged = Files.readAllBytes(segment);
      long flipped = offset;
      WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(dir, OPTIONS),
          "bit flipped at " + offset + " (seed " + SEED + ")");
      assertEquals(segment, e.file());
      assertEquals(start, e.offset(), "flip at " + flipped);
      assertTrue(e.getMessage().contains("intact record follows"), e.getMessage());
      assertArrayEquals(damaged, Files.readAllBytes(segment), "a refused log must be left as found");
    }
  }

  @Test
  void zeroedRecordFollowedByIntactOnesIsCorruption() throws Exception {
    long start = recordStarts.get(2);
    overwrite(start, new byte[(int) (recordStarts.get(3) - start)]);
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(dir, OPTIONS));
    assertEquals(start, e.offset());
    assertTrue(e.getMessage().contains("intact record follows at offset " + recordStarts.get(3)), e.getMessage());
  }

  @Test
  void garbageInThePreallocatedSpaceIsWipedAndDoesNotResurface() throws Exception {
    byte[] garbage = new byte[500];
    random.nextBytes(garbage);
    overwrite(end + 1000, garbage);
    assertRecovers(written);
    WalEntry seventh = WalTestData.entry(random, 7, 1, 60);
    try (Wal wal = Wal.open(dir, OPTIONS)) {
      wal.append(null, List.of(seventh));
      wal.sync();
    }
    List<WalEntry> expected = new ArrayList<>(written);
    expected.add(seventh);
    assertRecovers(expected);
    assertTrue(isZero(Files.readAllBytes(segment), (int) end + 1000, 500));
  }

  @Test
  void appendsAfterATruncatedTailAreRecovered() throws Exception {
    overwrite(recordStarts.get(5) + 12, new byte[] {1, 2, 3});
    WalEntry replacement = WalTestData.entry(random, 6, 2, 10);
    try (Wal wal = Wal.open(dir, OPTIONS)) {
      assertEquals(written.subList(0, 5), wal.recoveredState().entries());
      wal.append(null, List.of(replacement));
      wal.sync();
    }
    List<WalEntry> expected = new ArrayList<>(written.subList(0, 5));
    expected.add(replacement);
    assertRecovers(expected);
  }

  @Test
  void damageAtTheEndOfAnEarlierSegmentIsCorruption(@TempDir Path rolled) throws Exception {
    Path first;
    long lastRecordOfFirst;
    try (Wal wal = Wal.create(rolled, METADATA, SMALL_SEGMENTS)) {
      long index = 1;
      lastRecordOfFirst = wal.writePosition();
      while (wal.segments().size() < 3) {
        long before = wal.writePosition();
        wal.append(null, List.of(WalTestData.entry(random, index++, 1, 200)));
        wal.sync();
        if (wal.segments().size() == 1) {
          lastRecordOfFirst = before;
        }
      }
      first = wal.segmentPath(wal.segments().get(0));
    }
    try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
      channel.truncate(lastRecordOfFirst + 5);
    }
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(rolled, SMALL_SEGMENTS));
    assertEquals(first, e.file());
    assertEquals(lastRecordOfFirst, e.offset());
    assertTrue(e.getMessage().contains("not the last"), e.getMessage());
  }

  @Test
  void segmentRolledJustBeforeACrashIsDropped(@TempDir Path rolled) throws Exception {
    List<WalEntry> synced = new ArrayList<>();
    try (Wal wal = Wal.create(rolled, METADATA, SMALL_SEGMENTS)) {
      long index = 1;
      while (true) {
        WalEntry entry = WalTestData.entry(random, index++, 1, 200);
        int segmentsBefore = wal.segments().size();
        wal.append(null, List.of(entry));
        if (wal.segments().size() > segmentsBefore) {
          PowerLoss.loseUnsynced(wal); // the roll synced the old segment; the new one is lost
          break;
        }
        wal.sync();
        synced.add(entry);
      }
    }
    try (Wal wal = Wal.open(rolled, SMALL_SEGMENTS)) {
      assertEquals(synced, wal.recoveredState().entries());
      assertEquals(1, wal.segments().size());
      assertEquals(1, WalRecovery.listSegments(rolled).size());
    }
  }

  private void assertRecovers(List<WalEntry> expected) throws IOException {
    assertRecovers(expected, "");
  }

  private void assertRecovers(List<WalEntry> expected, String context) throws IOException {
    try (Wal wal = Wal.open(dir, OPTIONS)) {
      assertEquals(WalTestData.indexes(expected), WalTestData.indexes(wal.recoveredState().entries()), context);
      assertEquals(expected, wal.recoveredState().entries(), context);
    }
    // a second open finds the repaired log clean and identical
    try (Wal wal = Wal.open(dir, OPTIONS)) {
      assertEquals(expected, wal.recoveredState().entries(), context + " (second open)");
    }
  }

  private void restore() throws IOException {
    Files.write(segment, pristine);
  }

  private void overwrite(long offset, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  private void flipBit(long offset, int bit) throws IOException {
    byte original = pristine[(int) offset];
    overwrite(offset, new byte[] {(byte) (original ^ (1 << bit))});
  }

  private static boolean isZero(byte[] bytes, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
