package io.cairn.raft;

/** A node's role. PRE_CANDIDATE runs the pre-vote round (§9.6 of the thesis) before a real election. */
public enum Role {
    FOLLOWER,
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
