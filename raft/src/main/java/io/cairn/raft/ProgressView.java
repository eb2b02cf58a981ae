package io.cairn.raft;

/** A snapshot of the leader's replication state for one peer, for status reporting and tests. */
public record ProgressView(long match, long next, ProgressState state, boolean learner, boolean recentActive,
                           boolean paused, int inflight, long pendingSnapshot) {
    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next + (learner ? " learner" : "") + (paused ? " paused" : "")
                + (pendingSnapshot != 0 ? " pendingSnap=" + pendingSnapshot : "") + (inflight != 0 ? " inflight=" + inflight : "");
    }
}
