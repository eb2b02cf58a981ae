package io.cairn.raft;

import java.util.List;

/**
 * The durable log as the core sees it: read-only. The driver writes to it (after persisting a
 * {@link Ready}) and the core reads entries back when it must send them to followers.
 *
 * <p>On (re)start the core takes its term, vote and commit from {@link #hardState()} and the
 * membership from {@link #confState()}. {@code confState()} must be the membership as of the
 * index {@link RaftConfig#applied()} (the driver keeps the ConfState returned by
 * {@link RaftNode#applyConfChange(ConfChange)} next to its state machine).
 */
public interface RaftStorage {
    HardState hardState();

    ConfState confState();

    /**
     * Entries in {@code [lo, hi)}, stopping once their total {@link Entry#sizeBytes()} exceeds
     * {@code maxBytes} but always returning at least one entry when the range is not empty.
     *
     * @throws CompactedException if {@code lo <= } the snapshot index
     * @throws UnavailableException if the storage holds no entries in the range
     */
    List<Entry> entries(long lo, long hi, long maxBytes);

    /**
     * The term of the entry at {@code index}. The term at {@code firstIndex() - 1} (the snapshot's
     * last included entry) is still available.
     */
    long term(long index);

    /** The index of the first entry still available (snapshot index + 1). */
    long firstIndex();

    /** The index of the last entry (the snapshot index when the log is empty). */
    long lastIndex();

    /** The most recent snapshot, possibly {@link Snapshot#EMPTY}. */
    Snapshot snapshot();
}
