package io.cairn.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The Raft state machine proper (etcd's raft.go): term, vote, role, log, progress, timers. It
 * consumes messages and ticks and produces messages into {@link #msgs} and {@link #msgsAfterAppend};
 * {@link RaftNode} packages them into Ready batches. Role-specific handling lives in
 * {@link LeaderRole} and {@link FollowerRole}; membership changes in {@link MembershipChanger}.
 */
final class Raft {
    /** Context of a VOTE sent on a leader transfer: receivers ignore their leader lease for it. */
    static final byte[] CAMPAIGN_TRANSFER = "CampaignTransfer".getBytes(StandardCharsets.US_ASCII);

    enum CampaignType { PRE_ELECTION, ELECTION, TRANSFER }

    final long id;
    final RaftConfig config;
    final RaftLog log;
    final ProgressTracker tracker;
    final ReadOnlyQueue readOnly = new ReadOnlyQueue();
    private final Random random;

    long term;
    /** Who we voted for in {@link #term}; 0 = nobody. */
    long vote;
    Role role = Role.FOLLOWER;
    /** Known leader of {@link #term}; 0 = none. */
    long lead;
    /** Target of an ongoing leader transfer (leader only); 0 = none. */
    long leadTransferee;
    /** Index of the latest conf change proposed by this leader; a new one waits until it is applied. */
    long pendingConfIndex;
    /** Payload bytes of entries appended by this leader and not yet committed+applied. */
    long uncommittedSize;
    /** ReadIndex requests received before the leader committed an entry of its term. */
    List<Message> pendingReadIndexMessages = new ArrayList<>();

    /**
     * Index of the last snapshot restored into the tracker while the driver may still be applying
     * older committed entries, and the membership as it was before that restore (null if none).
     * Conf changes at or below that index are applied to this shadow, never to the tracker.
     */
    long restoredSnapshotIndex;
    ConfState confBeforeRestore;

    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;

    /** Messages that may be sent immediately. */
    List<Message> msgs = new ArrayList<>();
    /** Messages (including to self) that may only be sent once the current unstable state is durable. */
    List<Message> msgsAfterAppend = new ArrayList<>();
    List<ReadState> readStates = new ArrayList<>();

    Raft(RaftConfig config, RaftStorage storage) {
        this.id = config.id();
        this.config = config;
        this.random = new Random(config.randomSeed());
        this.log = new RaftLog(storage);
        this.tracker = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
        HardState hs = storage.hardState();
        ConfState cs = storage.confState();
        for (long v : cs.voters()) {
            tracker.voters.add(v);
            tracker.progress.put(v, tracker.newProgress(0, log.lastIndex() + 1, false));
        }
        for (long l : cs.learners()) {
            tracker.learners.add(l);
            tracker.progress.put(l, tracker.newProgress(0, log.lastIndex() + 1, true));
        }
        if (!hs.isEmpty()) {
            if (hs.commit() < log.committed || hs.commit() > log.lastIndex()) {
                throw new IllegalStateException("hard state commit " + hs.commit() + " is out of range ["
                        + log.committed + ", " + log.lastIndex() + "]");
            }
            log.committed = hs.commit();
            this.term = hs.term();
            this.vote = hs.vote();
        }
        if (config.applied() > 0) {
            if (config.applied() > log.committed) {
                throw new IllegalStateException("config applied " + config.applied() + " is beyond commit index " + log.committed);
            }
            log.appliedTo(Math.max(config.applied(), log.applied));
        }
        becomeFollower(term, 0);
    }

    HardState hardState() {
        return new HardState(term, vote, log.committed);
    }

    SoftState softState() {
        return new SoftState(lead, role);
    }

    // ---------------------------------------------------------------- sending

    void send(Message m) {
        m = m.withFrom(id);
        MessageType t = m.type();
        if (t == MessageType.VOTE || t == MessageType.PRE_VOTE || t == MessageType.VOTE_RESP || t == MessageType.PRE_VOTE_RESP) {
            if (m.term() == 0) {
                throw new IllegalStateException("term should be set when sending " + t);
            }
        } else {
            if (m.term() != 0) {
                throw new IllegalStateException("term should not be set when sending " + t + " (was " + m.term() + ")");
            }
            if (t != MessageType.PROP && t != MessageType.READ_INDEX) {
                m = m.withTerm(term);
            }
        }
        boolean durableResponse = t == MessageType.APP_RESP || t == MessageType.VOTE_RESP || t == MessageType.PRE_VOTE_RESP;
        if (durableResponse && !(m.to() != id && t == MessageType.APP_RESP && config.hasBug(Bug.ACK_BEFORE_PERSIST))) {
            msgsAfterAppend.add(m);
        } else {
            if (m.to() == id) {
                throw new IllegalStateException("message should not be self-addressed: " + m);
            }
            msgs.add(m);
        }
    }

    // ---------------------------------------------------------------- role transitions

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = config.electionTick() + random.nextInt(config.electionTick());
        leadTransferee = 0;
        tracker.resetVotes();
        long last = log.lastIndex();
        for (var e : tracker.progress.entrySet()) {
            Progress fresh = tracker.newProgress(0, last + 1, e.getValue().isLearner);
            if (e.getKey() == id) {
                fresh.match = last;
            }
            e.setValue(fresh);
        }
        pendingConfIndex = 0;
        uncommittedSize = 0;
        pendingReadIndexMessages = new ArrayList<>();
    }

    void becomeFollower(long newTerm, long newLead) {
        reset(newTerm);
        lead = newLead;
        role = Role.FOLLOWER;
        readOnlyReset();
    }

    private void readOnlyReset() {
        // Pending reads die with the leadership; their clients time out and retry.
        while (readOnly.size() > 0) {
            readOnly.advance(readOnly.lastPendingContext());
        }
    }

    void becomeCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> candidate]");
        }
        reset(term + 1);
        vote = id;
        role = Role.CANDIDATE;
    }

    void becomePreCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> pre-candidate]");
        }
        // Pre-vote changes neither term nor vote: a failed pre-election leaves no trace.
        tracker.resetVotes();
        lead = 0;
        role = Role.PRE_CANDIDATE;
    }

    void becomeLeader() {
        if (role == Role.FOLLOWER) {
            throw new IllegalStateException("invalid transition [follower -> leader]");
        }
        reset(term);
        lead = id;
        role = Role.LEADER;
        Progress self = tracker.progress.get(id);
        self.becomeReplicate();
        self.recentActive = true;
        // No conf change may be proposed until everything in the log so far is applied (this
        // includes the no-op below being committed: the fix for single-server changes, thesis §4.1).
        pendingConfIndex = log.lastIndex();
        if (!appendEntry(List.of(new Entry(0, 0, EntryType.NORMAL, Bytes.EMPTY)))) {
            throw new IllegalStateException("empty entry was dropped");
        }
    }

    boolean promotable() {
        Progress pr = tracker.progress.get(id);
        return pr != null && !pr.isLearner && !log.hasPendingSnapshot();
    }

    // ---------------------------------------------------------------- ticks

    void tick() {
        if (role == Role.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            step(Message.of(MessageType.HUP, id, id));
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTick()) {
            electionElapsed = 0;
            if (config.checkQuorum()) {
                step(Message.of(MessageType.CHECK_QUORUM, id, id));
            }
            if (role == Role.LEADER && leadTransferee != 0) {
                leadTransferee = 0;
            }
        }
        if (role != Role.LEADER) {
            return;
        }
        if (heartbeatElapsed >= config.heartbeatTick()) {
            heartbeatElapsed = 0;
            step(Message.of(MessageType.BEAT, id, id));
        }
    }

    // ---------------------------------------------------------------- elections

    void hup(CampaignType type) {
        if (role == Role.LEADER || !promotable()) {
            return;
        }
        // A conf change committed but not applied could change whether we may campaign: wait.
        if (log.committed > log.applied && hasPendingConfChange(log.applied + 1, log.committed + 1)) {
            return;
        }
        campaign(type);
    }

    private boolean hasPendingConfChange(long lo, long hi) {
        try {
            for (Entry e : log.slice(lo, hi, RaftConfig.NO_LIMIT)) {
                if (e.type() == EntryType.CONF_CHANGE) {
                    return true;
                }
            }
            return false;
        } catch (CompactedException e) {
            throw new IllegalStateException("unexpected compaction of unapplied entries", e);
        }
    }

    void campaign(CampaignType type) {
        if (!promotable()) {
            return;
        }
        long voteTerm;
        MessageType voteType;
        if (type == CampaignType.PRE_ELECTION) {
            becomePreCandidate();
            voteType = MessageType.PRE_VOTE;
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            voteType = MessageType.VOTE;
            voteTerm = term;
        }
        if (voteType == MessageType.PRE_VOTE) {
            // A pre-vote promises nothing durable, so our own grant counts at once.
            if (poll(id, true) == ProgressTracker.VoteResult.WON) {
                campaign(CampaignType.ELECTION);
                return;
            }
        }
        long lastIndex = log.lastIndex();
        long lastTerm = log.lastTerm();
        for (long voter : new ArrayList<>(tracker.voters)) {
            if (voter == id) {
                if (voteType == MessageType.VOTE) {
                    // Our own vote counts only once it is durable: it comes back through advance().
                    send(new Message(MessageType.VOTE_RESP, id, id, voteTerm, 0, 0, List.of(), 0, null, false, 0, null));
                }
                continue;
            }
            byte[] ctx = type == CampaignType.TRANSFER ? CAMPAIGN_TRANSFER : null;
            send(new Message(voteType, id, voter, voteTerm, lastTerm, lastIndex, List.of(), 0, null, false, 0, ctx));
        }
    }

    ProgressTracker.VoteResult poll(long from, boolean granted) {
        tracker.recordVote(from, granted);
        return tracker.tallyVotes();
    }

    // ---------------------------------------------------------------- step

    /** Processes one message; proposals that cannot be accepted throw ProposalDroppedException. */
    void step(Message m) {
        if (m.term() == 0) {
            // local message (or a forwarded proposal / read index, which carry no term)
        } else if (m.term() > term) {
            if (m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) {
                boolean force = Arrays.equals(m.context(), CAMPAIGN_TRANSFER);
                boolean inLease = config.checkQuorum() && lead != 0 && electionElapsed < config.electionTick();
                if (!force && inLease) {
                    // We heard from a leader within the minimum election timeout: refuse to be
                    // disrupted (thesis §4.2.3) and do not even adopt the higher term.
                    return;
                }
            }
            if (m.type() == MessageType.PRE_VOTE) {
                // Never change term in response to a pre-vote.
            } else if (m.type() == MessageType.PRE_VOTE_RESP && !m.reject()) {
                // A granted pre-vote carries the term we would campaign at; we bump only on winning.
            } else if (m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT || m.type() == MessageType.SNAP) {
                becomeFollower(m.term(), m.from());
            } else if (m.type() == MessageType.VOTE && role == Role.FOLLOWER) {
                // §5.2: a follower's election timer restarts only when it hears from a leader or
                // grants a vote. Etcd also restarts it on adopting a candidate's term; we do not, so
                // candidates that cannot win (stale logs, removed members without pre-vote) cannot
                // starve the one that can (found by the simulator, seed 48567).
                int elapsed = electionElapsed;
                becomeFollower(m.term(), 0);
                electionElapsed = elapsed;
            } else {
                becomeFollower(m.term(), 0);
            }
        } else if (m.term() < term) {
            if ((config.checkQuorum() || config.preVote()) && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APP)) {
                // A leader stuck in an old term (e.g. partitioned, never winning pre-vote) learns
                // our term from this response and steps down.
                send(Message.of(MessageType.APP_RESP, id, m.from()));
            } else if (m.type() == MessageType.PRE_VOTE) {
                send(new Message(MessageType.PRE_VOTE_RESP, id, m.from(), term, 0, 0, List.of(), 0, null, true, 0, null));
            }
            return;
        }

        switch (m.type()) {
            case HUP -> hup(config.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
            case VOTE, PRE_VOTE -> handleVoteRequest(m);
            default -> {
                switch (role) {
                    case LEADER -> LeaderRole.step(this, m);
                    case CANDIDATE, PRE_CANDIDATE -> FollowerRole.stepCandidate(this, m);
                    case FOLLOWER -> FollowerRole.stepFollower(this, m);
                }
            }
        }
    }

    private void handleVoteRequest(Message m) {
        boolean canVote = vote == m.from()
                || (vote == 0 && lead == 0)
                || (m.type() == MessageType.PRE_VOTE && m.term() > term);
        boolean upToDate = config.hasBug(Bug.VOTE_WITHOUT_LOG_CHECK) || log.isUpToDate(m.index(), m.logTerm());
        MessageType resp = m.type().voteResponse();
        if (canVote && upToDate) {
            // The grant carries the candidate's term (for a pre-vote, the future term).
            send(new Message(resp, id, m.from(), m.term(), 0, 0, List.of(), 0, null, false, 0, null));
            if (m.type() == MessageType.VOTE) {
                electionElapsed = 0;
                vote = m.from();
            }
        } else {
            send(new Message(resp, id, m.from(), term, 0, 0, List.of(), 0, null, true, 0, null));
        }
    }

    // ---------------------------------------------------------------- appending (leader)

    /** Assigns term/index to new entries and appends them, unless over the uncommitted limit. */
    boolean appendEntry(List<Entry> es) {
        long li = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(es.size());
        for (int i = 0; i < es.size(); i++) {
            Entry e = es.get(i);
            stamped.add(new Entry(term, li + 1 + i, e.type(), e.data()));
        }
        long size = EntryLists.payloadBytes(stamped);
        if (uncommittedSize > 0 && size > 0 && uncommittedSize + size > config.maxUncommittedEntriesSize()) {
            return false;
        }
        uncommittedSize += size;
        li = log.append(stamped);
        // The leader's own acknowledgement comes back once the entries are durable.
        send(new Message(MessageType.APP_RESP, id, id, 0, 0, li, List.of(), 0, null, false, 0, null));
        return true;
    }

    void reduceUncommittedSize(long size) {
        uncommittedSize = size > uncommittedSize ? 0 : uncommittedSize - size;
    }

    boolean committedEntryInCurrentTerm() {
        return log.termOrZero(log.committed) == term;
    }
}
