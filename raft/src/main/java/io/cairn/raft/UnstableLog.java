package io.cairn.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log not yet known to be durable: an optional incoming snapshot followed by
 * entries. Mirrors etcd's log_unstable.go.
 */
final class UnstableLog {
    /** Incoming snapshot not yet persisted, or null. */
    Snapshot snapshot;
    /** Entries at indexes offset, offset+1, ...; not yet persisted. */
    List<Entry> entries = new ArrayList<>();
    /** Index of entries.get(0); equals snapshot index + 1 when a snapshot is pending. */
    long offset;

    UnstableLog(long offset) {
        this.offset = offset;
    }

    /** First index if a snapshot is pending, else -1. */
    long maybeFirstIndex() {
        return snapshot != null ? snapshot.metadata().index() + 1 : -1;
    }

    /** Last index held here, or -1 if nothing is held. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot != null ? snapshot.metadata().index() : -1;
    }

    /** Term of index i if held here, else -1. */
    long maybeTerm(long i) {
        if (i < offset) {
            if (snapshot != null && snapshot.metadata().index() == i) {
                return snapshot.metadata().term();
            }
            return -1;
        }
        long last = maybeLastIndex();
        if (last < 0 || i > last) {
            return -1;
        }
        return entries.get((int) (i - offset)).term();
    }

    /** Entries up to (i, t) are durable: drop them unless they were overwritten meanwhile. */
    void stableTo(long i, long t) {
        long gt = maybeTerm(i);
        if (gt < 0 || gt != t || i < offset) {
            return;
        }
        entries = new ArrayList<>(entries.subList((int) (i + 1 - offset), entries.size()));
        offset = i + 1;
    }

    void stableSnapTo(long i) {
        if (snapshot != null && snapshot.metadata().index() == i) {
            snapshot = null;
        }
    }

    void restore(Snapshot s) {
        offset = s.metadata().index() + 1;
        entries = new ArrayList<>();
        snapshot = s;
    }

    void truncateAndAppend(List<Entry> ents) {
        long from = ents.get(0).index();
        if (from == offset + entries.size()) {
            entries.addAll(ents);
        } else if (from <= offset) {
            offset = from;
            entries = new ArrayList<>(ents);
        } else {
            List<Entry> kept = new ArrayList<>(entries.subList(0, (int) (from - offset)));
            kept.addAll(ents);
            entries = kept;
        }
    }

    /** Entries in [lo, hi), which must lie within this unstable log. */
    List<Entry> slice(long lo, long hi) {
        if (lo > hi || lo < offset || hi > offset + entries.size()) {
            throw new IllegalStateException("unstable slice [" + lo + "," + hi + ") out of bound [" + offset + ","
                    + (offset + entries.size()) + ")");
        }
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
