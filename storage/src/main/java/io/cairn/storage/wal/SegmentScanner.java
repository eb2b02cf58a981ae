package io.cairn.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one segment file and classifies its end. Records are read until the first one that is not
 * intact; what follows decides the verdict:
 *
 * <ul>
 *   <li>only zero bytes (or the end of the file): a clean end;
 *   <li>damaged bytes with no intact record anywhere after them: a damaged tail, which is what an
 *       interrupted, unsynced write leaves behind; the caller may truncate it if this is the last
 *       segment;
 *   <li>an intact record somewhere after the damage: the damage is in the middle of written data,
 *       which no crash produces, so {@link WalCorruptedException}.
 * </ul>
 */
final class SegmentScanner {
  /**
   * The readable content of one segment.
   *
   * @param records the intact records before the end, in file order
   * @param validEnd offset just past the last intact record
   * @param damage null for a clean end, otherwise what was found at {@code validEnd}
   */
  record SegmentScan(List<WalRecord> records, int validEnd, String damage) {}

  private SegmentScanner() {}

  static SegmentScan scan(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new WalCorruptedException(file, -1, "segment of " + size + " bytes exceeds 2 GiB");
      }
      ByteBuffer buf = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      List<WalRecord> records = new ArrayList<>();
      int offset = 0;
      int result;
      while ((result = WalRecordCodec.check(buf, offset)) > 0) {
        records.add(WalRecordCodec.decode(buf, offset));
        offset += result;
      }
      if (result == WalRecordCodec.UNKNOWN_KIND) {
        throw new WalCorruptedException(file, offset, "unknown record type " + buf.get(offset + 4)
            + " in an intact record: written by a newer Cairn version? This version cannot replay it,"
            + " and will not wipe it as a torn write");
      }
      if (result == WalRecordCodec.ZEROED && WalFiles.nextNonZero(buf, offset) == buf.limit()) {
        return new SegmentScan(records, offset, null);
      }
      int intactAfter = findIntactRecord(buf, offset + 1);
      if (intactAfter >= 0) {
        throw new WalCorruptedException(file, offset,
            WalRecordCodec.describe(result) + ", yet an intact record follows at offset " + intactAfter);
      }
      String damage = result == WalRecordCodec.ZEROED
          ? "zeroed space followed by non-zero bytes at offset " + WalFiles.nextNonZero(buf, offset)
          : WalRecordCodec.describe(result);
      return new SegmentScan(records, offset, damage);
    }
  }

  /**
   * Offset of the first intact record starting at or after {@code from}, or -1. Runs of zero bytes
   * are skipped in bulk: a record's length field is non-zero, so a record can only start within the
   * three bytes before a non-zero byte, or on it.
   */
  private static int findIntactRecord(ByteBuffer buf, int from) {
    int position = from;
    while (position < buf.limit()) {
      int nonZero = WalFiles.nextNonZero(buf, position);
      if (nonZero >= buf.limit()) {
        return -1;
      }
      for (int candidate = Math.max(position, nonZero - 3); candidate <= nonZero; candidate++) {
        if (WalRecordCodec.check(buf, candidate) > 0) {
          return candidate;
        }
      }
      position = nonZero + 1;
    }
    return -1;
  }
}
