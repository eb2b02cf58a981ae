package io.cairn.raft;

/** The single-step membership changes the core supports (one voter at a time, like etcd's ConfChange v1). */
public enum ConfChangeType {
    /** Add a voter, or promote an existing learner to voter. */
    ADD_NODE,
    /** Add a learner (non-voting member that receives the log). */
    ADD_LEARNER_NODE,
    /** Remove a voter or learner. */
    REMOVE_NODE
}
