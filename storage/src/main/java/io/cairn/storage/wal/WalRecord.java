package io.cairn.storage.wal;

/**
 * One decoded record of the log. The four record kinds are the only things a segment holds, so the
 * set is closed: recovery switches over them exhaustively.
 */
sealed interface WalRecord permits WalMetadata, WalEntry, WalHardState, WalSnapshotMarker {}
