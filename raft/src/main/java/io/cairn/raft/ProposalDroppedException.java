package io.cairn.raft;

/**
 * A proposal (data, conf change) could not be accepted: no known leader, a leader transfer in progress,
 * the uncommitted-bytes limit reached, or this node was removed. The caller may retry later.
 */
public final class ProposalDroppedException extends RuntimeException {
    public ProposalDroppedException(String message) {
        // No stack trace: this is expected flow control (callers retry), thrown often under churn.
        super("raft proposal dropped: " + message, null, false, false);
    }
}
