package io.cairn.storage.wal;

/**
 * Identity of the member that owns a log. Written first in every segment when the segment is created
 * and checked on open, so that a data directory copied from another member or another cluster is
 * refused instead of being replayed into the wrong raft group.
 *
 * @param memberId raft id of the member that wrote the log
 * @param clusterId id of the cluster the member belongs to
 */
public record WalMetadata(long memberId, long clusterId) implements WalRecord {}
