package io.cairn.raft;

/**
 * The single-step membership changes the core supports (one voter at a time, like etcd's ConfChange v1).
 *
 * <p>The {@link #code()} is the type byte of {@link ConfChange#encode()}, which CONF_CHANGE entries
 * carry in the log and to peers: a code never changes and is never reused.
 */
public enum ConfChangeType {
    /** Add a voter, or promote an existing learner to voter. */
    ADD_NODE(0),
    /** Add a learner (non-voting member that receives the log). */
    ADD_LEARNER_NODE(1),
    /** Remove a voter or learner. */
    REMOVE_NODE(2);

    private static final ConfChangeType[] BY_CODE = StableCodes.index(values(), ConfChangeType::code);

    private final int code;

    ConfChangeType(int code) {
        this.code = code;
    }

    /** The stable number of this change type in an encoded {@link ConfChange}. */
    public int code() {
        return code;
    }

    /**
     * The change type with {@code code}.
     *
     * @throws IllegalArgumentException if no type has it (a change written by a newer version, or garbage)
     */
    public static ConfChangeType fromCode(int code) {
        return StableCodes.lookup(BY_CODE, code, "conf change type");
    }
}
