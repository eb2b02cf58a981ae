package io.cairn.raft;

/** The storage cannot produce a snapshot right now; the leader retries on a later attempt. */
public final class SnapshotTemporarilyUnavailableException extends RuntimeException {
    public SnapshotTemporarilyUnavailableException() {
        super("snapshot is temporarily unavailable");
    }
}
