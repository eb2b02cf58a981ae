package io.cairn.raft;

/**
 * Test-only window into a node's log for the simulator's safety checks (the public API deliberately
 * does not expose it).
 */
public final class RaftInspector {
    private RaftInspector() {}

    public static long firstIndex(RaftNode n) {
        return n.raft.log.firstIndex();
    }

    public static long lastIndex(RaftNode n) {
        return n.raft.log.lastIndex();
    }

    /** Term at index, or -1 when it is outside the node's log. */
    public static long termOrMissing(RaftNode n, long index) {
        try {
            return n.raft.log.term(index);
        } catch (CompactedException | UnavailableException e) {
            return -1;
        }
    }

    public static Entry entry(RaftNode n, long index) {
        return n.raft.log.slice(index, index + 1, Long.MAX_VALUE).get(0);
    }

    public static long committed(RaftNode n) {
        return n.raft.log.committed;
    }

    public static boolean promotable(RaftNode n) {
        return n.raft.promotable();
    }
}
