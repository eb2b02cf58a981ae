package io.cairn.storage.wal;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One raft log entry as the log stores it. The storage module does not depend on the raft module,
 * so the server converts raft's entries to and from this plain form; {@code type} is raft's entry
 * type number and {@code data} is opaque here.
 *
 * <p>The data array is owned by the entry once constructed: callers must not modify it afterwards.
 *
 * @param index log position, starting at 1
 * @param term term of the leader that created the entry
 * @param type raft entry type (normal, configuration change, ...), not interpreted by the log
 * @param data the entry's payload, never null (may be empty)
 */
public record WalEntry(long index, long term, int type, byte[] data) implements WalRecord {
  public WalEntry {
    if (index < 1) {
      throw new IllegalArgumentException("entry index must be >= 1, got " + index);
    }
    if (term < 0) {
      throw new IllegalArgumentException("entry term must be >= 0, got " + term);
    }
    if (data == null) {
      throw new IllegalArgumentException("entry data must not be null (use an empty array)");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WalEntry e
        && index == e.index
        && term == e.term
        && type == e.type
        && Arrays.equals(data, e.data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    String shown = data.length <= 16
        ? HexFormat.of().formatHex(data)
        : HexFormat.of().formatHex(data, 0, 16) + "...(" + data.length + " bytes)";
    return "WalEntry[index=" + index + ", term=" + term + ", type=" + type + ", data=" + shown + "]";
  }
}
