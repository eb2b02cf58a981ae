package io.cairn.raft;

import java.util.List;

/**
 * The log as the core reasons about it: the durable part in {@link RaftStorage} plus the
 * {@link UnstableLog} tail, with the commit and applied indexes. Mirrors etcd's log.go.
 */
final class RaftLog {
    final RaftStorage storage;
    final UnstableLog unstable;
    /** Highest index known committed. Invariant: applied &le; committed &le; lastIndex(). */
    long committed;
    /** Highest index handed to the state machine (acknowledged through advance()). */
    long applied;

    RaftLog(RaftStorage storage) {
        this.storage = storage;
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        this.unstable = new UnstableLog(last + 1);
        this.committed = first - 1;
        this.applied = first - 1;
    }

    long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i >= 0 ? i : storage.firstIndex();
    }

    long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i >= 0 ? i : storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** Term at index i; throws CompactedException / UnavailableException outside [firstIndex-1, lastIndex]. */
    long term(long i) {
        long t = unstable.maybeTerm(i);
        if (t >= 0) {
            return t;
        }
        if (i + 1 < firstIndex()) {
            throw new CompactedException(i, firstIndex());
        }
        if (i > lastIndex()) {
            throw new UnavailableException(i, lastIndex());
        }
        return storage.term(i);
    }

    /** Term at i, or -1 when i is outside [firstIndex-1, lastIndex] (no exception: hot path). */
    long termOrMissing(long i) {
        long t = unstable.maybeTerm(i);
        if (t >= 0) {
            return t;
        }
        if (i + 1 < firstIndex() || i > lastIndex()) {
            return -1;
        }
        return storage.term(i);
    }

    /** Term at i, or 0 when i is outside the available range. */
    long termOrZero(long i) {
        return Math.max(termOrMissing(i), 0);
    }

    boolean matchTerm(long i, long t) {
        return termOrMissing(i) == t;
    }

    /** §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up to date as ours? */
    boolean isUpToDate(long lasti, long lastTerm) {
        long ourTerm = lastTerm();
        return lastTerm > ourTerm || (lastTerm == ourTerm && lasti >= lastIndex());
    }

    /**
     * Appends ents (following (index, logTerm)) if our log matches there; truncates a conflicting
     * suffix. Returns the index of the last new entry, or -1 if the log does not match.
     */
    long maybeAppend(long index, long logTerm, long commit, List<Entry> ents) {
        if (!matchTerm(index, logTerm)) {
            return -1;
        }
        long lastNew = index + ents.size();
        long conflict = findConflict(ents);
        if (conflict != 0) {
            if (conflict <= committed) {
                throw new IllegalStateException("entry " + conflict + " conflicts with committed entry (committed "
                        + committed + ")");
            }
            append(ents.subList((int) (conflict - (index + 1)), ents.size()));
        }
        commitTo(Math.min(commit, lastNew));
        return lastNew;
    }

    long append(List<Entry> ents) {
        if (ents.isEmpty()) {
            return lastIndex();
        }
        long after = ents.get(0).index() - 1;
        if (after < committed) {
            throw new IllegalStateException("append after " + after + " is out of range [committed " + committed + "]");
        }
        unstable.truncateAndAppend(ents);
        return lastIndex();
    }

    /** First index whose entry conflicts with ours (or is new), 0 if all already present. */
    private long findConflict(List<Entry> ents) {
        for (Entry e : ents) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * The largest index &le; index whose term is &le; term, with that term (0 if unknown); used by
     * fast back-off to skip a whole term of conflicting entries per round trip.
     */
    long[] findConflictByTerm(long index, long term) {
        for (; index > 0; index--) {
            long ourTerm = termOrMissing(index);
            if (ourTerm < 0) {
                return new long[] {index, 0};
            }
            if (ourTerm <= term) {
                return new long[] {index, ourTerm};
            }
        }
        return new long[] {0, 0};
    }

    void commitTo(long toCommit) {
        if (toCommit > committed) {
            if (lastIndex() < toCommit) {
                throw new IllegalStateException("commit index " + toCommit + " is out of range [lastIndex "
                        + lastIndex() + "]; was the raft log corrupted, truncated, or lost?");
            }
            committed = toCommit;
        }
    }

    /** Commits maxIndex if it is beyond the commit index and its entry is of {@code term} (§5.4.2). */
    boolean maybeCommit(long maxIndex, long term, boolean ignoreTermCheck) {
        if (maxIndex > committed && (ignoreTermCheck || termOrZero(maxIndex) == term)) {
            commitTo(maxIndex);
            return true;
        }
        return false;
    }

    void appliedTo(long i) {
        if (i == 0) {
            return;
        }
        if (committed < i || i < applied) {
            throw new IllegalStateException("applied(" + i + ") is out of range [prevApplied(" + applied
                    + "), committed(" + committed + ")]");
        }
        applied = i;
    }

    void stableTo(long i, long t) {
        unstable.stableTo(i, t);
    }

    void stableSnapTo(long i) {
        unstable.stableSnapTo(i);
    }

    boolean hasPendingSnapshot() {
        return unstable.snapshot != null;
    }

    Snapshot snapshot() {
        return unstable.snapshot != null ? unstable.snapshot : storage.snapshot();
    }

    /** Unstable entries to hand to the driver for persistence. */
    List<Entry> unstableEntries() {
        return List.copyOf(unstable.entries);
    }

    /** Committed entries not yet applied, within the size budget; none while a snapshot is pending. */
    List<Entry> nextCommittedEntries(long maxBytes) {
        if (hasPendingSnapshot()) {
            return List.of();
        }
        long lo = Math.max(applied + 1, firstIndex());
        long hi = committed + 1;
        if (lo >= hi) {
            return List.of();
        }
        return slice(lo, hi, maxBytes);
    }

    boolean hasNextCommittedEntries() {
        return !hasPendingSnapshot() && committed > applied && committed >= firstIndex();
    }

    /** Entries from i to the end, at most maxBytes (at least one). */
    List<Entry> entries(long i, long maxBytes) {
        if (i > lastIndex()) {
            return List.of();
        }
        return slice(i, lastIndex() + 1, maxBytes);
    }

    /** Entries in [lo, hi), limited by maxBytes; throws CompactedException if lo was compacted. */
    List<Entry> slice(long lo, long hi, long maxBytes) {
        if (lo > hi) {
            throw new IllegalStateException("invalid slice " + lo + " > " + hi);
        }
        long first = firstIndex();
        if (lo < first) {
            throw new CompactedException(lo, first);
        }
        if (hi > lastIndex() + 1) {
            throw new IllegalStateException("slice[" + lo + "," + hi + ") out of bound [" + first + "," + lastIndex() + "]");
        }
        if (lo == hi) {
            return List.of();
        }
        List<Entry> stored = List.of();
        if (lo < unstable.offset) {
            stored = storage.entries(lo, Math.min(hi, unstable.offset), maxBytes);
            if (stored.size() < Math.min(hi, unstable.offset) - lo) {
                return stored;
            }
        }
        List<Entry> fresh = List.of();
        if (hi > unstable.offset) {
            fresh = unstable.slice(Math.max(lo, unstable.offset), hi);
        }
        return EntryLists.limitSize(EntryLists.concat(stored, fresh), maxBytes);
    }

    void restore(Snapshot s) {
        committed = s.metadata().index();
        unstable.restore(s);
    }
}
