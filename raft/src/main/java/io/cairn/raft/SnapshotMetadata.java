package io.cairn.raft;

import java.util.Objects;

/** Where a snapshot sits in the log (last included index and its term) and the membership at that point. */
public record SnapshotMetadata(long index, long term, ConfState confState) {
    public SnapshotMetadata {
        Objects.requireNonNull(confState, "confState");
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("snapshot index/term must be >= 0");
        }
    }
}
