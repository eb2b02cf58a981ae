package io.cairn.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the log's on-disk format. A member restarted by a newer Cairn on a data directory an older one
 * wrote must read it as written, so a change to the framing, the record type codes or the payload
 * layouts fails here instead of in an operator's upgrade. Changing the format on purpose means a new
 * record type or format version with a reader for the old one, and new golden files beside these.
 */
class WalGoldenFormatTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  @Test
  void eachRecordKindHasItsPinnedBytes() {
    // length (4) | type code (1) | CRC32C of length, type and payload (4) | payload
    assertEquals("00000010" + "01" + "8668771d" + "0000000000001111" + "000000000000c1c1",
        encode(new WalMetadata(0x1111L, 0xc1c1L)));
    assertEquals("00000017" + "02" + "21726f61" + "0000000000000007" + "0000000000000003" + "00000001" + "616263",
        encode(new WalEntry(7, 3, 1, new byte[] {'a', 'b', 'c'})));
    assertEquals("00000018" + "03" + "ab162c6c" + "0000000000000003" + "0000000000000002" + "0000000000000006",
        encode(new WalHardState(3, 2, 6)));
    assertEquals("00000010" + "04" + "897f2120" + "0000000000000005" + "0000000000000002",
        encode(new WalSnapshotMarker(5, 2)));
  }

  @Test
  void recordKindCodesAreTheOnesOnDisk() {
    assertEquals(1, WalRecordKind.METADATA.code());
    assertEquals(2, WalRecordKind.ENTRY.code());
    assertEquals(3, WalRecordKind.HARD_STATE.code());
    assertEquals(4, WalRecordKind.SNAPSHOT_MARKER.code());
    for (WalRecordKind kind : WalRecordKind.values()) {
      assertEquals(kind, WalRecordKind.fromCode(kind.code()));
    }
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> WalRecordKind.fromCode(5));
    assertTrue(unknown.getMessage().contains("5"), unknown.getMessage());
  }

  @Test
  void theFixedHistoryWritesTheCommittedSegmentFiles() throws Exception {
    GoldenWal.write(dir);
    List<Path> written = GoldenWal.segments(dir);
    List<Path> committed = GoldenWal.segments(GoldenWal.committed());
    assertEquals(names(committed), names(written));
    for (int i = 0; i < written.size(); i++) {
      assertEquals(HEX.formatHex(Files.readAllBytes(committed.get(i))), HEX.formatHex(Files.readAllBytes(written.get(i))),
          "bytes of " + written.get(i).getFileName());
    }
  }

  @Test
  void aLogWrittenByAnEarlierVersionRecoversAsWritten() throws Exception {
    GoldenWal.copyCommittedTo(dir);
    try (Wal wal = Wal.open(dir, GoldenWal.METADATA, GoldenWal.OPTIONS)) {
      WalState state = wal.recoveredState();
      assertEquals(GoldenWal.METADATA, state.metadata());
      assertEquals(new WalHardState(3, 3, 10), state.hardState());
      assertEquals(new WalSnapshotMarker(2, 1), state.snapshot());
      List<WalEntry> expected = new ArrayList<>();
      expected.add(GoldenWal.entry(3, 1, 0));
      for (long index = 4; index <= 10; index++) {
        expected.add(GoldenWal.entry(index, 2, 0));
      }
      expected.add(GoldenWal.entry(11, 3, 0));
      assertEquals(expected, state.entries());
      assertEquals(11, wal.lastIndex());
    }
  }

  @Test
  void anIntactRecordOfAnUnknownKindIsCorruptionNamingFileAndOffset() throws Exception {
    GoldenWal.copyCommittedTo(dir);
    Path first = GoldenWal.segments(dir).get(0);
    // The second record (the first entry) starts right after the 25-byte metadata record.
    int offset = 25;
    retype(first, offset, 9);
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(dir, GoldenWal.OPTIONS));
    assertEquals(first, e.file());
    assertEquals(offset, e.offset());
    assertTrue(e.getMessage().contains("unknown record type 9"), e.getMessage());
  }

  @Test
  void anUnknownKindAtTheVeryEndIsNotWipedAsATornWrite() throws Exception {
    GoldenWal.copyCommittedTo(dir);
    Path last = GoldenWal.segments(dir).get(1);
    int lastRecord;
    try (Wal wal = Wal.open(dir, GoldenWal.OPTIONS)) {
      lastRecord = (int) wal.writePosition() - WalRecordCodec.encodedSize(new WalHardState(3, 3, 10));
    }
    retype(last, lastRecord, 9);
    byte[] planted = Files.readAllBytes(last);
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(dir, GoldenWal.OPTIONS));
    assertEquals(lastRecord, e.offset());
    assertArrayEquals(planted, Files.readAllBytes(last), "the record a newer version wrote must stay on disk");
  }

  /**
   * Gives the record at {@code offset} the type code {@code type} and recomputes its checksum, as a
   * newer Cairn with another record kind would have written it: a whole record this version cannot
   * read, not a torn write.
   */
  private static void retype(Path segment, int offset, int type) throws Exception {
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer buf = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
      int length = buf.getInt(offset);
      buf.put(offset + 4, (byte) type);
      CRC32C crc = new CRC32C();
      crc.update(buf.slice(offset, 5));
      crc.update(buf.slice(offset + WalRecordCodec.HEADER_BYTES, length));
      buf.putInt(offset + 5, (int) crc.getValue());
    }
  }

  private static String encode(WalRecord record) {
    ByteBuffer out = ByteBuffer.allocate(WalRecordCodec.encodedSize(record));
    WalRecordCodec.encode(record, out);
    return HEX.formatHex(out.array());
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(f -> f.getFileName().toString()).toList();
  }
}
