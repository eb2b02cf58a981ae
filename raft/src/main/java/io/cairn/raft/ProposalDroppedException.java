package io.cairn.raft;

/**
 * A proposal (data, conf change) could not be accepted: no known leader, a leader transfer in progress,
 * the uncommitted-bytes limit reached, or this node was removed. The caller may retry later.
 */
public final class ProposalDroppedException extends RuntimeException {
    public ProposalDroppedException(String message) {
        super("raft proposal dropped: " + message);
    }
}
