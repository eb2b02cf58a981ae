package io.cairn.raft;

/**
 * The validated, immutable configuration of one {@link RaftNode}. Defaults follow etcd: election
 * after 10 ticks, heartbeat every tick, 1 MiB per append message, 256 inflight appends, pre-vote and
 * check-quorum on. Randomness (election timeouts) comes only from {@link #randomSeed()}, so a node's
 * behaviour is a function of its inputs and seed.
 */
public final class RaftConfig {
    /** Unlimited, for the size limits that accept 0 = "no limit". */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    private final long id;
    private final int electionTick;
    private final int heartbeatTick;
    private final long maxSizePerMsg;
    private final int maxInflightMsgs;
    private final long maxInflightBytes;
    private final long maxUncommittedEntriesSize;
    private final long maxCommittedSizePerReady;
    private final boolean preVote;
    private final boolean checkQuorum;
    private final long applied;
    private final long randomSeed;
    /** Null in production; a deliberate defect only the test suite sets. */
    private final Bug bug;

    private RaftConfig(Builder b) {
        this.id = b.id;
        this.electionTick = b.electionTick;
        this.heartbeatTick = b.heartbeatTick;
        this.maxSizePerMsg = b.maxSizePerMsg;
        this.maxInflightMsgs = b.maxInflightMsgs;
        this.maxInflightBytes = b.maxInflightBytes == 0 ? NO_LIMIT : b.maxInflightBytes;
        this.maxUncommittedEntriesSize = b.maxUncommittedEntriesSize == 0 ? NO_LIMIT : b.maxUncommittedEntriesSize;
        this.maxCommittedSizePerReady = b.maxCommittedSizePerReady == 0 ? NO_LIMIT : b.maxCommittedSizePerReady;
        this.preVote = b.preVote;
        this.checkQuorum = b.checkQuorum;
        this.applied = b.applied;
        this.randomSeed = b.randomSeed;
        this.bug = b.bug;
    }

    public static Builder builder(long id) {
        return new Builder(id);
    }

    /** This node's id, &gt; 0. */
    public long id() { return id; }
    /** Ticks without hearing a leader before a follower campaigns; the real timeout is randomized in [electionTick, 2*electionTick). */
    public int electionTick() { return electionTick; }
    /** Ticks between leader heartbeats. */
    public int heartbeatTick() { return heartbeatTick; }
    /** Upper bound of entry bytes per append message (at least one entry is always sent). */
    public long maxSizePerMsg() { return maxSizePerMsg; }
    /** Max append messages in flight to one follower in replicate state. */
    public int maxInflightMsgs() { return maxInflightMsgs; }
    /** Max entry bytes in flight to one follower ({@link #NO_LIMIT} when unset). */
    public long maxInflightBytes() { return maxInflightBytes; }
    /** Max payload bytes the leader holds uncommitted before dropping proposals ({@link #NO_LIMIT} when unset). */
    public long maxUncommittedEntriesSize() { return maxUncommittedEntriesSize; }
    /** Max bytes of committed entries in one Ready ({@link #NO_LIMIT} when unset). */
    public long maxCommittedSizePerReady() { return maxCommittedSizePerReady; }
    public boolean preVote() { return preVote; }
    public boolean checkQuorum() { return checkQuorum; }
    /** The index the state machine has already applied on restart (0 for a fresh node). */
    public long applied() { return applied; }
    public long randomSeed() { return randomSeed; }

    Bug bug() { return bug; }

    boolean hasBug(Bug b) {
        return bug == b;
    }

    @Override
    public String toString() {
        return "RaftConfig{id=" + id + ", electionTick=" + electionTick + ", heartbeatTick=" + heartbeatTick
                + ", maxSizePerMsg=" + maxSizePerMsg + ", maxInflightMsgs=" + maxInflightMsgs + ", preVote=" + preVote
                + ", checkQuorum=" + checkQuorum + ", applied=" + applied + "}";
    }

    /** Builder with etcd's defaults; {@link #build()} validates and names the first bad field. */
    public static final class Builder {
        private final long id;
        private int electionTick = 10;
        private int heartbeatTick = 1;
        private long maxSizePerMsg = 1024 * 1024;
        private int maxInflightMsgs = 256;
        private long maxInflightBytes = 0;
        private long maxUncommittedEntriesSize = 0;
        private long maxCommittedSizePerReady = 0;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private long applied = 0;
        private long randomSeed;
        private Bug bug;

        private Builder(long id) {
            this.id = id;
            this.randomSeed = id * 0x9E3779B97F4A7C15L;
        }

        public Builder electionTick(int v) { this.electionTick = v; return this; }
        public Builder heartbeatTick(int v) { this.heartbeatTick = v; return this; }
        public Builder maxSizePerMsg(long v) { this.maxSizePerMsg = v; return this; }
        public Builder maxInflightMsgs(int v) { this.maxInflightMsgs = v; return this; }
        /** 0 = unlimited. */
        public Builder maxInflightBytes(long v) { this.maxInflightBytes = v; return this; }
        /** 0 = unlimited. */
        public Builder maxUncommittedEntriesSize(long v) { this.maxUncommittedEntriesSize = v; return this; }
        /** 0 = unlimited. */
        public Builder maxCommittedSizePerReady(long v) { this.maxCommittedSizePerReady = v; return this; }
        public Builder preVote(boolean v) { this.preVote = v; return this; }
        public Builder checkQuorum(boolean v) { this.checkQuorum = v; return this; }
        public Builder applied(long v) { this.applied = v; return this; }
        /** Seed of the election-timeout randomness; defaults to a value derived from the id. */
        public Builder randomSeed(long v) { this.randomSeed = v; return this; }

        /** Test-only: plant a deliberate defect. Never called by production code. */
        Builder testOnlyBug(Bug b) { this.bug = b; return this; }

        /** Validates and builds; throws IllegalArgumentException naming the offending field. */
        public RaftConfig build() {
            require(id != 0, "id", "must not be 0 (ids are unsigned 64-bit; 0 means 'none' in Raft messages)", id);
            require(heartbeatTick > 0, "heartbeatTick", "must be > 0", heartbeatTick);
            require(electionTick > heartbeatTick, "electionTick", "must be greater than heartbeatTick (" + heartbeatTick + ")", electionTick);
            require(maxSizePerMsg > 0, "maxSizePerMsg", "must be > 0", maxSizePerMsg);
            require(maxInflightMsgs > 0, "maxInflightMsgs", "must be > 0", maxInflightMsgs);
            require(maxInflightBytes >= 0, "maxInflightBytes", "must be >= 0", maxInflightBytes);
            require(maxInflightBytes == 0 || maxInflightBytes >= maxSizePerMsg, "maxInflightBytes",
                    "must be >= maxSizePerMsg (" + maxSizePerMsg + ") or 0", maxInflightBytes);
            require(maxUncommittedEntriesSize >= 0, "maxUncommittedEntriesSize", "must be >= 0", maxUncommittedEntriesSize);
            require(maxCommittedSizePerReady >= 0, "maxCommittedSizePerReady", "must be >= 0", maxCommittedSizePerReady);
            require(applied >= 0, "applied", "must be >= 0", applied);
            return new RaftConfig(this);
        }

        private static void require(boolean ok, String field, String rule, long value) {
            if (!ok) {
                throw new IllegalArgumentException("invalid raft config: " + field + " " + rule + ", got " + value);
            }
        }
    }
}
