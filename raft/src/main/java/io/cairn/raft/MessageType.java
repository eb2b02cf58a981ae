package io.cairn.raft;

/**
 * Message kinds. The wire kinds mirror etcd's raftpb; the local kinds are used inside the core only
 * and {@link RaftNode#step(Message)} refuses them.
 *
 * <p>Each kind has a {@link #code()} that is its number on the peer wire. Members of two versions
 * talk to each other during a rolling upgrade, so a code never changes and is never reused; the
 * codes are written out rather than taken from the declaration order, so reordering or inserting a
 * constant cannot renumber the others. The local kinds have codes too, reserved so that no future
 * wire kind takes one a peer could confuse with them; they are refused when read from the wire.
 */
public enum MessageType {
    APP(0), APP_RESP(1), VOTE(2), VOTE_RESP(3), PRE_VOTE(4), PRE_VOTE_RESP(5), HEARTBEAT(6),
    HEARTBEAT_RESP(7), SNAP(8), PROP(9), READ_INDEX(10), READ_INDEX_RESP(11), TIMEOUT_NOW(12),
    TRANSFER_LEADER(13),
    /** Local: start an election. */
    HUP(14),
    /** Local: the leader's heartbeat timer fired. */
    BEAT(15),
    /** Local: the leader's check-quorum timer fired. */
    CHECK_QUORUM(16),
    /** Local: outcome of sending a snapshot to a follower. */
    SNAP_STATUS(17),
    /** Local: a peer could not be reached. */
    UNREACHABLE(18);

    private static final MessageType[] BY_CODE = StableCodes.index(values(), MessageType::code);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The stable number of this kind on the wire. */
    public int code() {
        return code;
    }

    /**
     * The kind with {@code code}.
     *
     * @throws IllegalArgumentException if no kind has it (a message from a newer version, or garbage)
     */
    public static MessageType fromCode(int code) {
        return StableCodes.lookup(BY_CODE, code, "raft message type");
    }

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
