package io.cairn.raft;

/**
 * Message kinds. The wire kinds mirror etcd's raftpb; the local kinds are used inside the core only
 * and {@link RaftNode#step(Message)} refuses them.
 */
public enum MessageType {
    APP, APP_RESP, VOTE, VOTE_RESP, PRE_VOTE, PRE_VOTE_RESP, HEARTBEAT, HEARTBEAT_RESP, SNAP, PROP,
    READ_INDEX, READ_INDEX_RESP, TIMEOUT_NOW, TRANSFER_LEADER,
    /** Local: start an election. */
    HUP,
    /** Local: the leader's heartbeat timer fired. */
    BEAT,
    /** Local: the leader's check-quorum timer fired. */
    CHECK_QUORUM,
    /** Local: outcome of sending a snapshot to a follower. */
    SNAP_STATUS,
    /** Local: a peer could not be reached. */
    UNREACHABLE;

    /** True for kinds that only ever originate inside this process. */
    public boolean isLocal() {
        return this == HUP || this == BEAT || this == CHECK_QUORUM || this == SNAP_STATUS || this == UNREACHABLE;
    }

    /** True for kinds that answer a request (a response from an unknown peer is ignored). */
    public boolean isResponse() {
        return this == APP_RESP || this == VOTE_RESP || this == PRE_VOTE_RESP || this == HEARTBEAT_RESP
                || this == READ_INDEX_RESP || this == UNREACHABLE || this == SNAP_STATUS;
    }

    /** The response kind for a (pre-)vote request. */
    MessageType voteResponse() {
        return switch (this) {
            case VOTE -> VOTE_RESP;
            case PRE_VOTE -> PRE_VOTE_RESP;
            default -> throw new IllegalStateException("not a vote message: " + this);
        };
    }
}
