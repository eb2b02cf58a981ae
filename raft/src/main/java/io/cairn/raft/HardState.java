package io.cairn.raft;

/**
 * The state Raft must persist before it sends any message that depends on it: the current term,
 * the vote cast in that term (0 = none) and the commit index. Node ids are unsigned 64-bit values
 * (etcd derives them from a hash), so a vote may be any non-zero long, negative included.
 */
public record HardState(long term, long vote, long commit) {
    public static final HardState EMPTY = new HardState(0, 0, 0);

    public HardState {
        if (term < 0 || commit < 0) {
            throw new IllegalArgumentException("hard state term and commit must be >= 0: " + term + "/" + vote + "/" + commit);
        }
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
