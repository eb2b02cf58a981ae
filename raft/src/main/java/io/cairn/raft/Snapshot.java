package io.cairn.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * A state-machine image covering the log up to {@code metadata.index()}. The data is opaque to the
 * core; an empty snapshot (index 0) means "none".
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {
    public static final Snapshot EMPTY = new Snapshot(new SnapshotMetadata(0, 0, ConfState.EMPTY), Bytes.EMPTY);

    public Snapshot {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
    }

    public boolean isEmpty() {
        return metadata.index() == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && s.metadata.equals(metadata) && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return metadata.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot{index=" + metadata.index() + " term=" + metadata.term() + " voters=" + metadata.confState().voters()
                + " learners=" + metadata.confState().learners() + "}";
    }
}
