package io.cairn.storage.wal;

/**
 * The kinds of record a segment holds, by the type code in each record's header. The codes are on
 * disk in every data directory, which newer versions must keep reading: a code never changes and is
 * never reused, and 0 is never one (zeroed, preallocated space must not read as a record).
 * WalGoldenFormatTest pins them.
 */
enum WalRecordKind {
  METADATA(1),
  ENTRY(2),
  HARD_STATE(3),
  SNAPSHOT_MARKER(4);

  private final byte code;

  WalRecordKind(int code) {
    this.code = (byte) code;
  }

  /** The type code in the record header. */
  byte code() {
    return code;
  }

  /** Whether some kind has {@code code}. */
  static boolean isKnown(int code) {
    for (WalRecordKind kind : values()) {
      if (kind.code == code) {
        return true;
      }
    }
    return false;
  }

  /**
   * The kind with {@code code}.
   *
   * @throws IllegalArgumentException if none has it: a record written by a newer version, or damage
   */
  static WalRecordKind fromCode(int code) {
    for (WalRecordKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown wal record type " + code);
  }

  /** The kind of {@code record}. */
  static WalRecordKind of(WalRecord record) {
    if (record instanceof WalEntry) {
      return ENTRY;
    } else if (record instanceof WalHardState) {
      return HARD_STATE;
    } else if (record instanceof WalSnapshotMarker) {
      return SNAPSHOT_MARKER;
    }
    return METADATA;
  }
}
