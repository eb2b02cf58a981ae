package io.cairn.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Raft log entry. Entries are identified by (term, index); by the log matching property two
 * entries with the same index and term carry the same data. The data array is never mutated once
 * the entry exists (callers hand over ownership); it is opaque to the core.
 *
 * @param term the leader term that created the entry, &ge; 1 for real entries
 * @param index the position in the log, &ge; 1 for real entries
 * @param type application data or a membership change
 * @param data payload, never null (empty for the leader's election no-op)
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    /** Approximate encoded overhead of one entry besides its payload (term, index, type tags). */
    static final int ENCODING_OVERHEAD_BYTES = 24;

    public Entry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (term < 0 || index < 0) {
            throw new IllegalArgumentException("entry term and index must be >= 0, got term=" + term + " index=" + index);
        }
    }

    /** A normal entry with the given data. */
    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    /** The size used for message batching and inflight byte accounting. */
    public long sizeBytes() {
        return data.length + ENCODING_OVERHEAD_BYTES;
    }

    /** The payload size used for the leader's uncommitted-bytes limit (etcd counts payload only). */
    public long payloadBytes() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return term + "/" + index + (type == EntryType.CONF_CHANGE ? " CC " : " ") + Bytes.show(data);
    }
}
