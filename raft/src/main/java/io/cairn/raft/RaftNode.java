package io.cairn.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The Raft core as a deterministic library (etcd's RawNode). One driver thread owns it: it feeds
 * ticks, peer messages and proposals in, and takes work out as numbered {@link Ready} batches.
 * Nothing here blocks, reads a clock, does I/O or starts a thread, so a seeded simulator can run
 * the real code through any schedule.
 *
 * <p>Life cycle: {@code while (node.hasReady()) { Ready rd = node.ready(); ...persist, send, apply...;
 * node.advance(rd); }}. Calling {@link #ready()} again before {@link #advance(Ready)} throws: there is
 * exactly one outstanding batch.
 *
 * <p>Bootstrap: each initial member of a fresh cluster persists the {@link Bootstrap} state (one
 * committed CONF_CHANGE entry per initial member, as etcd does) before its first start, e.g.
 * {@code MemoryStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L))}. A node joining an existing cluster
 * starts on an empty storage with an empty ConfState; it never campaigns and learns the membership
 * from the log (or a snapshot) the leader sends once the node was added.
 *
 * <p>Durability: responses that promise persisted state (APP_RESP, votes) leave only via
 * {@link Ready#messagesAfterPersist()}, and this node's own vote and own log acknowledgement are
 * counted only in {@link #advance(Ready)}. Hence a single-voter cluster elects itself on
 * {@link #campaign()} after one Ready cycle persists its vote, and commits a proposal when the Ready
 * carrying the entry is advanced: the committed entry appears in the next Ready.
 */
public final class RaftNode {
    /** Package-private so same-package test inspectors can read the log. */
    final Raft raft;
    private SoftState prevSoftState;
    private HardState prevHardState;
    private long nextReadyNumber = 1;
    /** The batch handed out and not yet advanced, or null. */
    private Ready outstanding;
    /** Indexes of the CONF_CHANGE entries among the outstanding batch's committed entries, in order. */
    private final ArrayDeque<Long> outstandingConfChangeIndexes = new ArrayDeque<>();
    /** Self-addressed after-persist messages of the outstanding batch, stepped on advance. */
    private List<Message> outstandingSelfMessages = List.of();

    private RaftNode(RaftConfig config, RaftStorage storage) {
        this.raft = new Raft(config, storage);
        this.prevSoftState = raft.softState();
        this.prevHardState = storage.hardState();
    }

    /** Creates (or restarts) a node from its durable storage. */
    public static RaftNode create(RaftConfig config, RaftStorage storage) {
        return new RaftNode(config, storage);
    }

    public void tick() {
        raft.tick();
    }

    /**
     * Starts an election now (through pre-vote when enabled). Like etcd, it is ignored while this node
     * is leader, is not a voter, or has committed but unapplied conf changes — in particular a freshly
     * bootstrapped node must first process its first Ready (which applies the bootstrap membership).
     */
    public void campaign() {
        raft.step(Message.of(MessageType.HUP, raft.id, raft.id));
    }

    /**
     * Steps a message received from a peer. Messages with a stale term and responses from peers not
     * in the configuration are ignored, as in etcd.
     *
     * @throws IllegalArgumentException for local-only message kinds or a message not addressed here
     */
    public void step(Message m) {
        if (m.type().isLocal()) {
            throw new IllegalArgumentException("local message type " + m.type() + " cannot be received from the network");
        }
        if (m.to() != raft.id) {
            throw new IllegalArgumentException("message addressed to " + m.to() + " stepped into node " + raft.id);
        }
        if (m.type().isResponse() && !raft.tracker.progress.containsKey(m.from())) {
            return;
        }
        try {
            raft.step(m);
        } catch (ProposalDroppedException e) {
            // A forwarded proposal the leader cannot take: the proposer's client times out, as in etcd.
        }
    }

    /** Proposes application data. @throws ProposalDroppedException when it cannot be accepted now */
    public void propose(byte[] data) {
        Entry e = new Entry(0, 0, EntryType.NORMAL, data.clone());
        raft.step(new Message(MessageType.PROP, raft.id, raft.id, 0, 0, 0, List.of(e), 0, null, false, 0, null));
    }

    /** Proposes several entries at once (one append, one message): a batch. */
    public void proposeBatch(List<byte[]> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty proposal batch");
        }
        List<Entry> entries = new ArrayList<>(batch.size());
        for (byte[] data : batch) {
            entries.add(new Entry(0, 0, EntryType.NORMAL, data.clone()));
        }
        raft.step(new Message(MessageType.PROP, raft.id, raft.id, 0, 0, 0, entries, 0, null, false, 0, null));
    }

    /**
     * Proposes a membership change; at most one may be pending (proposed and not yet applied).
     *
     * @throws ProposalDroppedException when no leader is known, a change is pending, a transfer is running
     * @throws IllegalArgumentException when the change would leave the group without voters
     */
    public void proposeConfChange(ConfChange cc) {
        if (MembershipChanger.removesLastVoter(raft.tracker.voters, cc)) {
            throw new IllegalArgumentException("conf change " + cc + " would remove the last voter");
        }
        Entry e = new Entry(0, 0, EntryType.CONF_CHANGE, cc.encode());
        raft.step(new Message(MessageType.PROP, raft.id, raft.id, 0, 0, 0, List.of(e), 0, null, false, 0, null));
    }

    /**
     * Applies a committed CONF_CHANGE entry's change; returns the resulting membership, which the driver
     * stores with its applied index. Call it once per CONF_CHANGE entry of a Ready's committed entries,
     * in order. If a newer snapshot was received while that Ready was outstanding (a pipelined driver),
     * the change is applied to the membership as of the entry rather than to the snapshot's.
     */
    public ConfState applyConfChange(ConfChange cc) {
        Long index = outstandingConfChangeIndexes.poll();
        if (index != null && raft.confBeforeRestore != null && index <= raft.restoredSnapshotIndex) {
            raft.confBeforeRestore = MembershipChanger.applyTo(raft.confBeforeRestore, cc);
            return raft.confBeforeRestore;
        }
        return MembershipChanger.apply(raft, cc);
    }

    /**
     * Requests a linearizable read point; the {@link ReadState} with the same context appears in a
     * later Ready. Contexts must be unique among outstanding requests.
     *
     * @throws ProposalDroppedException when no leader is known
     */
    public void readIndex(byte[] context) {
        if (context == null || context.length == 0) {
            throw new IllegalArgumentException("read index context must be non-empty");
        }
        raft.step(new Message(MessageType.READ_INDEX, raft.id, raft.id, 0, 0, 0, List.of(), 0, null, false, 0, context.clone()));
    }

    /** Asks the leader to hand leadership to {@code transferee} (forwarded when called on a follower). */
    public void transferLeader(long transferee) {
        raft.step(Message.of(MessageType.TRANSFER_LEADER, transferee, raft.id));
    }

    /** Tells the leader a message to {@code id} could not be delivered: replication to it falls back to probing. */
    public void reportUnreachable(long id) {
        raft.step(Message.of(MessageType.UNREACHABLE, id, raft.id));
    }

    /**
     * Reports the outcome of sending a SNAP message to {@code id}. The driver must report every SNAP
     * it was asked to send (success once delivered, failure if it could not be): until then the leader
     * keeps that follower in SNAPSHOT state and sends it nothing else.
     */
    public void reportSnapshot(long id, boolean success) {
        raft.step(new Message(MessageType.SNAP_STATUS, id, raft.id, 0, 0, 0, List.of(), 0, null, !success, 0, null));
    }

    /** Whether {@link #ready()} has work; false while a batch is outstanding (advance it first). */
    public boolean hasReady() {
        if (outstanding != null) {
            return false;
        }
        if (!raft.softState().equals(prevSoftState)) {
            return true;
        }
        HardState hs = raft.hardState();
        if (!hs.isEmpty() && !hs.equals(prevHardState)) {
            return true;
        }
        return raft.log.hasPendingSnapshot() || !raft.log.unstable.entries.isEmpty() || raft.log.hasNextCommittedEntries()
                || !raft.msgs.isEmpty() || !raft.msgsAfterAppend.isEmpty() || !raft.readStates.isEmpty();
    }

    /**
     * The next batch of work. @throws IllegalStateException if the previous batch was not advanced
     */
    public Ready ready() {
        if (outstanding != null) {
            throw new IllegalStateException("ready() called again before advance() of Ready #" + outstanding.number());
        }
        SoftState ss = raft.softState();
        HardState hs = raft.hardState();
        SoftState softOut = ss.equals(prevSoftState) ? null : ss;
        HardState hardOut = hs.equals(prevHardState) ? null : hs;
        List<Entry> entries = raft.log.unstableEntries();
        Snapshot snap = raft.log.unstable.snapshot;
        List<Entry> committed = raft.log.nextCommittedEntries(raft.config.maxCommittedSizePerReady());
        List<Message> afterPersist = new ArrayList<>();
        List<Message> self = new ArrayList<>();
        for (Message m : raft.msgsAfterAppend) {
            (m.to() == raft.id ? self : afterPersist).add(m);
        }
        boolean mustSync = !entries.isEmpty() || snap != null
                || (hardOut != null && (hs.term() != prevHardState.term() || hs.vote() != prevHardState.vote()));
        Ready rd = new Ready(nextReadyNumber++, softOut, hardOut, entries, snap, raft.msgs, afterPersist, committed,
                raft.readStates, mustSync);
        raft.msgs = new ArrayList<>();
        raft.msgsAfterAppend = new ArrayList<>();
        raft.readStates = new ArrayList<>();
        outstanding = rd;
        outstandingSelfMessages = self;
        outstandingConfChangeIndexes.clear();
        for (Entry e : committed) {
            if (e.type() == EntryType.CONF_CHANGE) {
                outstandingConfChangeIndexes.add(e.index());
            }
        }
        return rd;
    }

    /**
     * Acknowledges that {@code rd}'s state is durable and its committed entries were handed to the
     * state machine. Steps this node's own acknowledgements (vote, log append) held for durability.
     */
    public void advance(Ready rd) {
        if (outstanding == null || rd.number() != outstanding.number()) {
            throw new IllegalStateException("advance() of Ready #" + rd.number() + " but the outstanding batch is "
                    + (outstanding == null ? "none" : "#" + outstanding.number()));
        }
        if (rd.softState() != null) {
            prevSoftState = rd.softState();
        }
        if (rd.hardState() != null) {
            prevHardState = rd.hardState();
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            raft.log.stableTo(last.index(), last.term());
        }
        if (rd.snapshot() != null) {
            long index = rd.snapshot().metadata().index();
            raft.log.stableSnapTo(index);
            if (index > raft.log.applied) {
                raft.log.appliedTo(index);
            }
        }
        if (!rd.committedEntries().isEmpty()) {
            Entry last = rd.committedEntries().get(rd.committedEntries().size() - 1);
            raft.log.appliedTo(last.index());
            if (raft.role == Role.LEADER) {
                raft.reduceUncommittedSize(EntryLists.payloadBytes(rd.committedEntries()));
            }
        }
        List<Message> self = outstandingSelfMessages;
        outstanding = null;
        outstandingConfChangeIndexes.clear();
        // Entries applied from now on follow any restored snapshot: the shadow membership is done.
        raft.confBeforeRestore = null;
        outstandingSelfMessages = List.of();
        for (Message m : self) {
            raft.step(m);
        }
    }

    public Status status() {
        TreeMap<Long, ProgressView> progress = new TreeMap<>();
        if (raft.role == Role.LEADER) {
            raft.tracker.progress.forEach((id, pr) -> progress.put(id, pr.view()));
        }
        return new Status(raft.id, raft.term, raft.vote, raft.log.committed, raft.log.applied, raft.lead, raft.role,
                raft.leadTransferee, raft.tracker.confState(), progress);
    }

    public long leaderId() {
        return raft.lead;
    }

    public long term() {
        return raft.term;
    }

    public boolean isLeader() {
        return raft.role == Role.LEADER;
    }

    public long id() {
        return raft.id;
    }

    /** The role (follower, pre-candidate, candidate, leader). */
    public Role role() {
        return raft.role;
    }
}
