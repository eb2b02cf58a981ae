package io.cairn.storage.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk framing of one record, and the checks that tell a whole record from a torn or damaged
 * one.
 *
 * <pre>
 *   offset 0  int32  payload length (big-endian)
 *   offset 4  int8   record type ({@link WalRecordKind#code()}; 0 never appears, so zeroed space is not a record)
 *   offset 5  int32  CRC32C of bytes 0..4 and of the payload
 *   offset 9  payload
 *     metadata   : memberId int64, clusterId int64
 *     entry      : index int64, term int64, type int32, data (the rest)
 *     hard state : term int64, vote int64, commit int64
 *     snapshot   : index int64, term int64
 * </pre>
 *
 * The checksum covers the length and type, so a flipped bit in the header is caught like one in the
 * payload. Each record is checked on its own; the segment scanner decides what a bad one means.
 * WalGoldenFormatTest pins the layout: data directories written by earlier versions must replay.
 */
final class WalRecordCodec {
  static final int HEADER_BYTES = 9;

  private static final int ENTRY_FIXED_BYTES = 8 + 8 + 4;

  /** Result of {@link #check} when the header is all zero bytes: preallocated, never written space. */
  static final int ZEROED = -1;
  /** Result of {@link #check} when the record runs past the end of the readable bytes. */
  static final int TRUNCATED = -2;
  /** Result of {@link #check} when the type byte or the length is impossible for a record. */
  static final int MALFORMED = -3;
  /** Result of {@link #check} when the checksum does not match. */
  static final int CHECKSUM_MISMATCH = -4;
  /**
   * Result of {@link #check} for a whole record with a matching checksum but a type code no {@link
   * WalRecordKind} has: not damage but a record from a newer version, which must not be wiped.
   */
  static final int UNKNOWN_KIND = -5;

  private WalRecordCodec() {}

  /** Bytes the record takes on disk, header included. */
  static int encodedSize(WalRecord record) {
    return HEADER_BYTES + payloadSize(record);
  }

  /** Appends the framed record at {@code out}'s position; {@code out} must have room for it. */
  static void encode(WalRecord record, ByteBuffer out) {
    int start = out.position();
    out.putInt(payloadSize(record));
    out.put(WalRecordKind.of(record).code());
    out.putInt(0); // checksum, filled in below once the payload is in place
    if (record instanceof WalEntry e) {
      out.putLong(e.index()).putLong(e.term()).putInt(e.type()).put(e.data());
    } else if (record instanceof WalHardState h) {
      out.putLong(h.term()).putLong(h.vote()).putLong(h.commit());
    } else if (record instanceof WalSnapshotMarker s) {
      out.putLong(s.index()).putLong(s.term());
    } else if (record instanceof WalMetadata m) {
      out.putLong(m.memberId()).putLong(m.clusterId());
    }
    out.putInt(start + 5, checksum(out, start, out.position() - start - HEADER_BYTES));
  }

  /**
   * Checks whether a whole, intact record starts at {@code offset} of {@code buf} (bounded by its
   * limit). Returns the record's total size when it does, otherwise one of the negative codes
   * {@link #ZEROED}, {@link #TRUNCATED}, {@link #MALFORMED}, {@link #CHECKSUM_MISMATCH}, {@link
   * #UNKNOWN_KIND}.
   */
  static int check(ByteBuffer buf, int offset) {
    int available = buf.limit() - offset;
    if (available < HEADER_BYTES) {
      return isZero(buf, offset, available) ? ZEROED : TRUNCATED;
    }
    int length = buf.getInt(offset);
    byte type = buf.get(offset + 4);
    int storedChecksum = buf.getInt(offset + 5);
    if (length == 0 && type == 0 && storedChecksum == 0) {
      return ZEROED;
    }
    if (!WalRecordKind.isKnown(type)) {
      boolean whole = length >= 0 && length <= available - HEADER_BYTES;
      return whole && checksum(buf, offset, length) == storedChecksum ? UNKNOWN_KIND : MALFORMED;
    }
    if (!lengthFits(WalRecordKind.fromCode(type), length)) {
      return MALFORMED;
    }
    if (length > available - HEADER_BYTES) {
      return TRUNCATED;
    }
    return checksum(buf, offset, length) == storedChecksum ? HEADER_BYTES + length : CHECKSUM_MISMATCH;
  }

  /** Decodes the record at {@code offset}; only call after {@link #check} returned a size. */
  static WalRecord decode(ByteBuffer buf, int offset) {
    int length = buf.getInt(offset);
    byte type = buf.get(offset + 4);
    int p = offset + HEADER_BYTES;
    return switch (WalRecordKind.fromCode(type)) {
      case METADATA -> new WalMetadata(buf.getLong(p), buf.getLong(p + 8));
      case ENTRY -> {
        byte[] data = new byte[length - ENTRY_FIXED_BYTES];
        buf.get(p + ENTRY_FIXED_BYTES, data);
        yield new WalEntry(buf.getLong(p), buf.getLong(p + 8), buf.getInt(p + 16), data);
      }
      case HARD_STATE -> new WalHardState(buf.getLong(p), buf.getLong(p + 8), buf.getLong(p + 16));
      case SNAPSHOT_MARKER -> new WalSnapshotMarker(buf.getLong(p), buf.getLong(p + 8));
    };
  }

  /** Human wording of a negative {@link #check} result, for logs and exceptions. */
  static String describe(int checkResult) {
    return switch (checkResult) {
      case ZEROED -> "zeroed space";
      case TRUNCATED -> "record cut short";
      case MALFORMED -> "impossible record header";
      case CHECKSUM_MISMATCH -> "checksum mismatch";
      case UNKNOWN_KIND -> "intact record of an unknown record type";
      default -> throw new IllegalArgumentException("not a failed check: " + checkResult);
    };
  }

  private static boolean lengthFits(WalRecordKind kind, int length) {
    return switch (kind) {
      case METADATA, SNAPSHOT_MARKER -> length == 16;
      case HARD_STATE -> length == 24;
      case ENTRY -> length >= ENTRY_FIXED_BYTES;
    };
  }

  private static int checksum(ByteBuffer buf, int offset, int payloadLength) {
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(offset, 5));
    crc.update(buf.slice(offset + HEADER_BYTES, payloadLength));
    return (int) crc.getValue();
  }

  private static boolean isZero(ByteBuffer buf, int offset, int length) {
    for (int i = 0; i < length; i++) {
      if (buf.get(offset + i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int payloadSize(WalRecord record) {
    if (record instanceof WalEntry e) {
      return ENTRY_FIXED_BYTES + e.data().length;
    }
    return record instanceof WalHardState ? 24 : 16;
  }
}
