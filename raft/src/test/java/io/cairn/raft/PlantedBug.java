package io.cairn.raft;

/** Test-side names for the deliberate defects of {@link Bug}, usable from other test packages. */
public enum PlantedBug {
    COMMIT_EARLIER_TERM_BY_COUNTING(Bug.COMMIT_EARLIER_TERM_BY_COUNTING),
    ACK_BEFORE_PERSIST(Bug.ACK_BEFORE_PERSIST),
    VOTE_WITHOUT_LOG_CHECK(Bug.VOTE_WITHOUT_LOG_CHECK);

    private final Bug bug;

    PlantedBug(Bug bug) {
        this.bug = bug;
    }

    /** Plants this defect into a config builder. */
    public RaftConfig.Builder plant(RaftConfig.Builder b) {
        return b.testOnlyBug(bug);
    }
}
