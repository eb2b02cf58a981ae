package io.cairn.storage.wal;

/**
 * Records that a snapshot covers the log up to and including {@code index}: entries at or below it
 * are no longer needed and the segments holding only such entries may be released.
 *
 * @param index last log index the snapshot includes
 * @param term term of the entry at {@code index}
 */
public record WalSnapshotMarker(long index, long term) implements WalRecord {
  /** The marker of a log with no snapshot: everything from index 1 is in the log. */
  public static final WalSnapshotMarker NONE = new WalSnapshotMarker(0, 0);
}
