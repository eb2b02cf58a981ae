package io.cairn.raft;

/** The leader's view of one follower's log. Mirrors etcd's tracker/progress.go. */
final class Progress {
    /** Highest index known to be replicated on the follower. */
    long match;
    /** Next index to send. Invariant: match &lt; next. */
    long next;
    ProgressState state = ProgressState.PROBE;
    /** Index of the snapshot being sent while in SNAPSHOT state, else 0. */
    long pendingSnapshot;
    /** Heard from within the current check-quorum window. */
    boolean recentActive;
    /** In PROBE: an append was sent and not answered yet; in REPLICATE: the inflight window is full. */
    boolean msgAppFlowPaused;
    /** Highest commit index sent to this follower (in an append or heartbeat) since it became tracked. */
    long sentCommit;
    final Inflights inflights;
    boolean isLearner;

    Progress(long match, long next, int maxInflight, long maxInflightBytes, boolean isLearner) {
        this.match = match;
        this.next = next;
        this.inflights = new Inflights(maxInflight, maxInflightBytes);
        this.isLearner = isLearner;
    }

    private void resetState(ProgressState s) {
        msgAppFlowPaused = false;
        pendingSnapshot = 0;
        state = s;
        inflights.reset();
    }

    void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            long pending = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, pending + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
    }

    void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /** Records that an append of {@code entries} entries ({@code bytes} bytes) was sent. */
    void sentEntries(int entries, long bytes) {
        switch (state) {
            case REPLICATE -> {
                if (entries > 0) {
                    next += entries;
                    inflights.add(next - 1, bytes);
                }
                msgAppFlowPaused = inflights.full();
            }
            case PROBE -> msgAppFlowPaused = true;
            default -> throw new IllegalStateException("sending append in unhandled state " + state);
        }
    }

    /** Acknowledgement up to n; returns whether match moved. */
    boolean maybeUpdate(long n) {
        boolean updated = false;
        if (match < n) {
            match = n;
            updated = true;
            msgAppFlowPaused = false;
        }
        next = Math.max(next, n + 1);
        return updated;
    }

    /**
     * A rejection of the append at {@code rejected}; {@code matchHint} is the follower's suggestion.
     * Returns false if the rejection is stale.
     */
    boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == ProgressState.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        msgAppFlowPaused = false;
        return true;
    }

    /**
     * Whether sending commit index {@code committed} could advance the follower's commit: it is
     * newer than what was sent and the follower's commit can still move up to next-1.
     */
    boolean canBumpCommit(long committed) {
        return state != ProgressState.SNAPSHOT && committed > sentCommit && sentCommit < next - 1;
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE, REPLICATE -> msgAppFlowPaused;
            case SNAPSHOT -> true;
        };
    }

    ProgressView view() {
        return new ProgressView(match, next, state, isLearner, recentActive, isPaused(), inflights.count(), pendingSnapshot);
    }
}
