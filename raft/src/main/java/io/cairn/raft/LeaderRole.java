package io.cairn.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a leader does with messages (etcd's stepLeader) and how it replicates: appends batched by
 * bytes within the inflight window, probing with fast back-off, snapshots for followers behind the
 * compacted log, heartbeats, ReadIndex confirmation and leader transfer.
 */
final class LeaderRole {
    private LeaderRole() {}

    static void step(Raft r, Message m) {
        switch (m.type()) {
            case BEAT -> {
                bcastHeartbeat(r, r.readOnly.lastPendingContext());
                return;
            }
            case CHECK_QUORUM -> {
                if (!r.tracker.quorumActive(r.id)) {
                    r.becomeFollower(r.term, 0);
                }
                for (var e : r.tracker.progress.entrySet()) {
                    if (e.getKey() != r.id) {
                        e.getValue().recentActive = false;
                    }
                }
                return;
            }
            case PROP -> {
                propose(r, m);
                return;
            }
            case READ_INDEX -> {
                readIndex(r, m);
                return;
            }
            default -> { }
        }
        Progress pr = r.tracker.progress.get(m.from());
        if (pr == null) {
            return;
        }
        switch (m.type()) {
            case APP_RESP -> handleAppendResponse(r, m, pr);
            case HEARTBEAT_RESP -> handleHeartbeatResponse(r, m, pr);
            case SNAP_STATUS -> {
                if (pr.state != ProgressState.SNAPSHOT) {
                    return;
                }
                if (m.reject()) {
                    pr.pendingSnapshot = 0;
                }
                pr.becomeProbe();
                // Wait for the follower's APP_RESP (or the next heartbeat) before probing again.
                pr.msgAppFlowPaused = true;
            }
            case UNREACHABLE -> {
                if (pr.state == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
            }
            case TRANSFER_LEADER -> transfer(r, m.from(), pr);
            default -> { }
        }
    }

    private static void propose(Raft r, Message m) {
        if (m.entries().isEmpty()) {
            throw new IllegalStateException("stepped empty proposal");
        }
        if (!r.tracker.progress.containsKey(r.id)) {
            throw new ProposalDroppedException("this node was removed from the configuration");
        }
        if (r.leadTransferee != 0) {
            throw new ProposalDroppedException("leadership transfer to " + r.leadTransferee + " in progress");
        }
        List<Entry> entries = new ArrayList<>(m.entries());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.type() != EntryType.CONF_CHANGE) {
                continue;
            }
            if (r.pendingConfIndex > r.log.applied) {
                if (m.from() == r.id) {
                    throw new ProposalDroppedException("a configuration change is already pending (index "
                            + r.pendingConfIndex + ", applied " + r.log.applied + ")");
                }
                // A forwarded change cannot be refused to its proposer: neutralize it like etcd does.
                entries.set(i, new Entry(0, 0, EntryType.NORMAL, Bytes.EMPTY));
            } else {
                r.pendingConfIndex = r.log.lastIndex() + i + 1;
            }
        }
        if (!r.appendEntry(entries)) {
            throw new ProposalDroppedException("too many uncommitted entry bytes (limit "
                    + r.config.maxUncommittedEntriesSize() + ")");
        }
        bcastAppend(r);
    }

    private static void readIndex(Raft r, Message m) {
        if (r.tracker.isSingletonVoter(r.id)) {
            respondToReadIndex(r, m, r.log.committed);
            return;
        }
        // The leader must know the latest commit index: wait for an entry of its own term (§6.4).
        if (!r.committedEntryInCurrentTerm()) {
            r.pendingReadIndexMessages.add(m);
            return;
        }
        startReadIndexRound(r, m);
    }

    private static void startReadIndexRound(Raft r, Message m) {
        r.readOnly.addRequest(r.log.committed, m);
        r.readOnly.recvAck(r.id, m.context());
        bcastHeartbeat(r, m.context());
    }

    /** Called after the commit index moved: pending reads may now start their confirmation round. */
    static void releasePendingReadIndexMessages(Raft r) {
        if (r.pendingReadIndexMessages.isEmpty() || !r.committedEntryInCurrentTerm()) {
            return;
        }
        List<Message> pending = r.pendingReadIndexMessages;
        r.pendingReadIndexMessages = new ArrayList<>();
        for (Message m : pending) {
            startReadIndexRound(r, m);
        }
    }

    private static void respondToReadIndex(Raft r, Message req, long index) {
        if (req.from() == 0 || req.from() == r.id) {
            r.readStates.add(new ReadState(index, req.context()));
            return;
        }
        r.send(new Message(MessageType.READ_INDEX_RESP, r.id, req.from(), 0, 0, index, List.of(), 0, null, false, 0,
                req.context()));
    }

    private static void handleAppendResponse(Raft r, Message m, Progress pr) {
        pr.recentActive = true;
        if (m.reject()) {
            long nextProbe = m.rejectHint();
            if (m.logTerm() > 0) {
                // Skip every entry of ours with a term above the follower's term at its hint.
                nextProbe = r.log.findConflictByTerm(m.rejectHint(), m.logTerm())[0];
            }
            if (pr.maybeDecrTo(m.index(), nextProbe)) {
                if (pr.state == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
                sendAppend(r, m.from());
            }
            return;
        }
        if (!(pr.maybeUpdate(m.index()) || (pr.match == m.index() && pr.state == ProgressState.PROBE))) {
            return;
        }
        switch (pr.state) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match + 1 >= r.log.firstIndex()) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights.freeLE(m.index());
        }
        if (maybeCommit(r)) {
            releasePendingReadIndexMessages(r);
            bcastAppend(r);
        } else if (m.from() != r.id && pr.canBumpCommit(r.log.committed)) {
            // The commit advanced while this follower's ack was in flight: tell it now, not at the
            // next heartbeat, so it applies promptly.
            sendAppend(r, m.from());
        }
        if (m.from() != r.id) {
            while (maybeSendAppend(r, m.from(), false)) {
                // keep streaming while the window allows
            }
        }
        if (m.from() == r.leadTransferee && pr.match == r.log.lastIndex()) {
            sendTimeoutNow(r, m.from());
        }
    }

    private static void handleHeartbeatResponse(Raft r, Message m, Progress pr) {
        pr.recentActive = true;
        pr.msgAppFlowPaused = false;
        if (pr.match < r.log.lastIndex() || pr.match < r.log.committed) {
            sendAppend(r, m.from());
        }
        if (m.context().length == 0) {
            return;
        }
        Set<Long> acks = r.readOnly.recvAck(m.from(), m.context());
        if (acks == null || !quorumOf(r, acks)) {
            return;
        }
        for (ReadOnlyQueue.Pending p : r.readOnly.advance(m.context())) {
            respondToReadIndex(r, p.request(), p.index());
        }
    }

    private static boolean quorumOf(Raft r, Set<Long> acks) {
        int granted = 0;
        for (long v : r.tracker.voters) {
            if (acks.contains(v)) {
                granted++;
            }
        }
        return granted > r.tracker.voters.size() / 2;
    }

    private static void transfer(Raft r, long transferee, Progress pr) {
        if (pr.isLearner) {
            return;
        }
        if (r.leadTransferee != 0) {
            if (r.leadTransferee == transferee) {
                return;
            }
            r.leadTransferee = 0;
        }
        if (transferee == r.id) {
            return;
        }
        // The transfer must finish within one election timeout, or it is aborted (tickHeartbeat).
        r.electionElapsed = 0;
        r.leadTransferee = transferee;
        if (pr.match == r.log.lastIndex()) {
            sendTimeoutNow(r, transferee);
        } else {
            sendAppend(r, transferee);
        }
    }

    private static void sendTimeoutNow(Raft r, long to) {
        r.send(Message.of(MessageType.TIMEOUT_NOW, r.id, to));
    }

    static boolean maybeCommit(Raft r) {
        return r.log.maybeCommit(r.tracker.committed(), r.term, r.config.hasBug(Bug.COMMIT_EARLIER_TERM_BY_COUNTING));
    }

    static void bcastAppend(Raft r) {
        for (long peer : new ArrayList<>(r.tracker.progress.keySet())) {
            if (peer != r.id) {
                sendAppend(r, peer);
            }
        }
    }

    static void bcastHeartbeat(Raft r, byte[] context) {
        for (var e : r.tracker.progress.entrySet()) {
            if (e.getKey() == r.id) {
                continue;
            }
            long commit = Math.min(e.getValue().match, r.log.committed);
            e.getValue().sentCommit = Math.max(e.getValue().sentCommit, commit);
            r.send(new Message(MessageType.HEARTBEAT, r.id, e.getKey(), 0, 0, 0, List.of(), commit, null, false, 0, context));
        }
    }

    static void sendAppend(Raft r, long to) {
        maybeSendAppend(r, to, true);
    }

    /**
     * Sends the next batch of entries (or a snapshot if they are compacted) to a follower. Returns
     * whether a message was sent. With sendIfEmpty an empty append still goes out (a probe or a
     * commit-index update).
     */
    static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty) {
        Progress pr = r.tracker.progress.get(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.next - 1;
        long prevTerm;
        List<Entry> ents = List.of();
        try {
            prevTerm = r.log.term(prevIndex);
            if (pr.state != ProgressState.REPLICATE || !pr.inflights.full()) {
                ents = r.log.entries(pr.next, r.config.maxSizePerMsg());
            }
        } catch (CompactedException e) {
            return sendSnapshot(r, to, pr);
        }
        if (ents.isEmpty() && !sendIfEmpty) {
            return false;
        }
        r.send(new Message(MessageType.APP, r.id, to, 0, prevTerm, prevIndex, ents, r.log.committed, null, false, 0, null));
        pr.sentEntries(ents.size(), EntryLists.sizeBytes(ents));
        pr.sentCommit = Math.max(pr.sentCommit, r.log.committed);
        return true;
    }

    private static boolean sendSnapshot(Raft r, long to, Progress pr) {
        if (!pr.recentActive) {
            // Do not ship a (large) snapshot to a peer we have not heard from.
            return false;
        }
        Snapshot snap;
        try {
            snap = r.log.snapshot();
        } catch (SnapshotTemporarilyUnavailableException e) {
            return false;
        }
        if (snap.isEmpty()) {
            throw new IllegalStateException("need non-empty snapshot to send to " + to);
        }
        pr.becomeSnapshot(snap.metadata().index());
        r.send(new Message(MessageType.SNAP, r.id, to, 0, 0, 0, List.of(), 0, snap, false, 0, null));
        return true;
    }
}
