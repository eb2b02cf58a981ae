package io.cairn.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An in-memory {@link RaftStorage}, for tests and for a server's in-memory copy of its log tail.
 * Not thread-safe: the driver thread that owns the {@link RaftNode} owns this storage too.
 *
 * <p>A fresh cluster bootstraps by starting every member on {@link #bootstrap(ConfState)}; a member
 * joining an existing cluster starts on {@code new MemoryStorage()} and learns everything from the
 * leader.
 */
public final class MemoryStorage implements RaftStorage {
    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot;
    /** Membership as of the last applied conf change (or snapshot); what {@link #confState()} returns. */
    private ConfState confState;
    /**
     * entries.get(0) is a dummy holding the snapshot's index and term (data dropped); real entries
     * follow at consecutive indexes. Invariant: entries is never empty.
     */
    private final List<Entry> entries = new ArrayList<>();

    /** An empty storage with no members (a node joining an existing cluster). */
    public MemoryStorage() {
        this.confState = ConfState.EMPTY;
        this.snapshot = Snapshot.EMPTY;
        entries.add(new Entry(0, 0, EntryType.NORMAL, Bytes.EMPTY));
    }

    /** The storage of an initial member of a brand-new cluster: see {@link Bootstrap}. */
    public static MemoryStorage bootstrap(ConfState initial) {
        MemoryStorage s = new MemoryStorage();
        s.append(Bootstrap.entries(initial));
        s.setHardState(Bootstrap.hardState(initial));
        s.setConfState(initial);
        return s;
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public ConfState confState() {
        return confState;
    }

    public void setHardState(HardState state) {
        this.hardState = Objects.requireNonNull(state, "state");
    }

    /** Records the membership the driver applied, so a restart sees it. */
    public void setConfState(ConfState state) {
        this.confState = Objects.requireNonNull(state, "state");
    }

    private long offset() {
        return entries.get(0).index();
    }

    @Override
    public long firstIndex() {
        return offset() + 1;
    }

    @Override
    public long lastIndex() {
        return offset() + entries.size() - 1;
    }

    @Override
    public long term(long index) {
        long offset = offset();
        if (index < offset) {
            throw new CompactedException(index, firstIndex());
        }
        if (index - offset >= entries.size()) {
            throw new UnavailableException(index, lastIndex());
        }
        return entries.get((int) (index - offset)).term();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        long offset = offset();
        if (lo <= offset) {
            throw new CompactedException(lo, firstIndex());
        }
        if (hi > lastIndex() + 1) {
            throw new UnavailableException(hi - 1, lastIndex());
        }
        if (lo >= hi) {
            return List.of();
        }
        return EntryLists.limitSize(entries.subList((int) (lo - offset), (int) (hi - offset)), maxBytes);
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces the whole log with a received snapshot.
     *
     * @throws IllegalArgumentException if the snapshot is not newer than the current one
     */
    public void applySnapshot(Snapshot snap) {
        if (snap.metadata().index() <= snapshot.metadata().index()) {
            throw new IllegalArgumentException("snapshot at index " + snap.metadata().index()
                    + " is out of date (have " + snapshot.metadata().index() + ")");
        }
        snapshot = snap;
        confState = snap.metadata().confState();
        entries.clear();
        entries.add(new Entry(snap.metadata().term(), snap.metadata().index(), EntryType.NORMAL, Bytes.EMPTY));
    }

    /**
     * Records a snapshot of the state machine as of {@code index} (which must be applied, hence in
     * the log). Does not compact; call {@link #compact(long)} for that.
     */
    public Snapshot createSnapshot(long index, ConfState state, byte[] data) {
        if (index <= snapshot.metadata().index()) {
            throw new IllegalArgumentException("snapshot at index " + index + " is out of date (have "
                    + snapshot.metadata().index() + ")");
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("snapshot index " + index + " is beyond last index " + lastIndex());
        }
        snapshot = new Snapshot(new SnapshotMetadata(index, term(index), state), data);
        return snapshot;
    }

    /** Discards entries up to and including {@code compactIndex}; it stays as the dummy entry. */
    public void compact(long compactIndex) {
        long offset = offset();
        if (compactIndex <= offset) {
            throw new CompactedException(compactIndex, firstIndex());
        }
        if (compactIndex > lastIndex()) {
            throw new IllegalArgumentException("compact index " + compactIndex + " is beyond last index " + lastIndex());
        }
        int cut = (int) (compactIndex - offset);
        Entry dummy = entries.get(cut);
        List<Entry> rest = new ArrayList<>(entries.subList(cut + 1, entries.size()));
        entries.clear();
        entries.add(new Entry(dummy.term(), dummy.index(), EntryType.NORMAL, Bytes.EMPTY));
        entries.addAll(rest);
    }

    /**
     * Appends entries, replacing any existing suffix that conflicts (a new leader overwrote it).
     * Entries at or below the snapshot index are skipped.
     */
    public void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = firstIndex();
        long newFirst = newEntries.get(0).index();
        long newLast = newFirst + newEntries.size() - 1;
        if (newLast < first) {
            return;
        }
        List<Entry> toAdd = first > newFirst ? newEntries.subList((int) (first - newFirst), newEntries.size()) : newEntries;
        long at = toAdd.get(0).index() - offset();
        if (at > entries.size()) {
            throw new IllegalArgumentException("missing log entries: last index " + lastIndex()
                    + ", appending at " + toAdd.get(0).index());
        }
        entries.subList((int) at, entries.size()).clear();
        entries.addAll(toAdd);
    }
}
