package io.cairn.storage.wal;

import java.util.List;

/**
 * What {@link Wal#open} recovered: everything raft needs to restart the member.
 *
 * @param metadata the member and cluster the log belongs to
 * @param hardState the last hard state written ({@link WalHardState#EMPTY} if none)
 * @param snapshot the newest snapshot marker ({@link WalSnapshotMarker#NONE} if none)
 * @param entries the entries after {@code snapshot.index()}, contiguous and in index order, with
 *     raft's overwrite rule applied (a later-written entry at index i replaced everything written
 *     earlier at index i or above)
 */
public record WalState(
    WalMetadata metadata, WalHardState hardState, WalSnapshotMarker snapshot, List<WalEntry> entries) {
  public WalState {
    entries = List.copyOf(entries);
  }

  /** Index of the last entry, or the snapshot index when no entry follows the snapshot. */
  public long lastIndex() {
    return entries.isEmpty() ? snapshot.index() : entries.get(entries.size() - 1).index();
  }
}
