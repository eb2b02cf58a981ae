package io.cairn.raft;

/**
 * The state Raft must persist before it sends any message that depends on it: the current term,
 * the vote cast in that term (0 = none) and the commit index.
 */
public record HardState(long term, long vote, long commit) {
    public static final HardState EMPTY = new HardState(0, 0, 0);

    public HardState {
        if (term < 0 || vote < 0 || commit < 0) {
            throw new IllegalArgumentException("hard state fields must be >= 0: " + term + "/" + vote + "/" + commit);
        }
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
