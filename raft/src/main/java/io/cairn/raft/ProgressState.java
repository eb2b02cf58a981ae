package io.cairn.raft;

/**
 * How the leader replicates to one follower: PROBE sends one append at a time until the match point
 * is found; REPLICATE streams appends optimistically within the inflight window; SNAPSHOT waits for a
 * snapshot to be installed.
 */
public enum ProgressState {
    PROBE,
    REPLICATE,
    SNAPSHOT
}
