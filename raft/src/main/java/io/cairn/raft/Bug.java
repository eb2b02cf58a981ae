package io.cairn.raft;

/**
 * Deliberate safety violations used only by the test suite to prove the simulator catches them.
 * Production code never sets one: the only way in is the package-private
 * {@link RaftConfig.Builder#testOnlyBug(Bug)}.
 */
enum Bug {
    /** The leader commits an entry of an earlier term by counting replicas (violates §5.4.2). */
    COMMIT_EARLIER_TERM_BY_COUNTING,
    /** A follower acknowledges appended entries before they are durable (APP_RESP in Ready.messages). */
    ACK_BEFORE_PERSIST,
    /** A vote is granted without checking that the candidate's log is at least as up to date (§5.4.1). */
    VOTE_WITHOUT_LOG_CHECK
}
