package io.cairn.raft;

import java.util.List;

/**
 * What followers and (pre-)candidates do with messages (etcd's stepFollower / stepCandidate):
 * accept appends, heartbeats and snapshots from the leader, forward proposals and reads to it,
 * and count votes while campaigning.
 */
final class FollowerRole {
    private FollowerRole() {}

    static void stepFollower(Raft r, Message m) {
        switch (m.type()) {
            case PROP -> {
                if (r.lead == 0) {
                    throw new ProposalDroppedException("no leader at term " + r.term);
                }
                r.send(m.withTo(r.lead));
            }
            case APP -> {
                r.electionElapsed = 0;
                r.lead = m.from();
                handleAppendEntries(r, m);
            }
            case HEARTBEAT -> {
                r.electionElapsed = 0;
                r.lead = m.from();
                handleHeartbeat(r, m);
            }
            case SNAP -> {
                r.electionElapsed = 0;
                r.lead = m.from();
                handleSnapshot(r, m);
            }
            case TRANSFER_LEADER -> {
                if (r.lead != 0) {
                    r.send(m.withTo(r.lead));
                }
            }
            case TIMEOUT_NOW -> r.hup(Raft.CampaignType.TRANSFER);
            case READ_INDEX -> {
                if (r.lead == 0) {
                    if (m.from() == r.id) {
                        throw new ProposalDroppedException("no leader at term " + r.term + " to serve a read index");
                    }
                    return;
                }
                r.send(m.withTo(r.lead));
            }
            case READ_INDEX_RESP -> r.readStates.add(new ReadState(m.index(), m.context()));
            default -> { }
        }
    }

    static void stepCandidate(Raft r, Message m) {
        MessageType myVoteResp = r.role == Role.PRE_CANDIDATE ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
        switch (m.type()) {
            case PROP -> throw new ProposalDroppedException("no leader at term " + r.term + " (election in progress)");
            case READ_INDEX -> {
                if (m.from() == r.id) {
                    throw new ProposalDroppedException("no leader at term " + r.term + " (election in progress)");
                }
            }
            case APP -> {
                r.becomeFollower(m.term(), m.from());
                handleAppendEntries(r, m);
            }
            case HEARTBEAT -> {
                r.becomeFollower(m.term(), m.from());
                handleHeartbeat(r, m);
            }
            case SNAP -> {
                r.becomeFollower(m.term(), m.from());
                handleSnapshot(r, m);
            }
            case VOTE_RESP, PRE_VOTE_RESP -> {
                if (m.type() != myVoteResp) {
                    return;
                }
                switch (r.poll(m.from(), !m.reject())) {
                    case WON -> {
                        if (r.role == Role.PRE_CANDIDATE) {
                            r.campaign(Raft.CampaignType.ELECTION);
                        } else {
                            r.becomeLeader();
                            LeaderRole.bcastAppend(r);
                        }
                    }
                    case LOST -> r.becomeFollower(r.term, 0);
                    case PENDING -> { }
                }
            }
            default -> { }
        }
    }

    static void handleAppendEntries(Raft r, Message m) {
        if (m.index() < r.log.committed) {
            r.send(new Message(MessageType.APP_RESP, r.id, m.from(), 0, 0, r.log.committed, List.of(), 0, null, false, 0, null));
            return;
        }
        long lastNew = r.log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            r.send(new Message(MessageType.APP_RESP, r.id, m.from(), 0, 0, lastNew, List.of(), 0, null, false, 0, null));
            return;
        }
        // Reject with a hint: the largest index <= the probe whose term is <= the leader's term
        // there, so the leader can skip a whole conflicting term per round trip.
        long hintIndex = Math.min(m.index(), r.log.lastIndex());
        long[] hint = r.log.findConflictByTerm(hintIndex, m.logTerm());
        r.send(new Message(MessageType.APP_RESP, r.id, m.from(), 0, hint[1], m.index(), List.of(), 0, null, true, hint[0], null));
    }

    static void handleHeartbeat(Raft r, Message m) {
        r.log.commitTo(m.commit());
        r.send(new Message(MessageType.HEARTBEAT_RESP, r.id, m.from(), 0, 0, 0, List.of(), 0, null, false, 0, m.context()));
    }

    static void handleSnapshot(Raft r, Message m) {
        Snapshot s = m.snapshot();
        if (s == null) {
            return;
        }
        long index = restore(r, s) ? r.log.lastIndex() : r.log.committed;
        r.send(new Message(MessageType.APP_RESP, r.id, m.from(), 0, 0, index, List.of(), 0, null, false, 0, null));
    }

    /** Installs a snapshot unless we already have (and committed) its content; returns whether installed. */
    private static boolean restore(Raft r, Snapshot s) {
        SnapshotMetadata md = s.metadata();
        if (md.index() <= r.log.committed) {
            return false;
        }
        if (r.role != Role.FOLLOWER) {
            // Defensive, as etcd: only a follower installs snapshots.
            r.becomeFollower(r.term + 1, 0);
            return false;
        }
        // Unlike etcd we accept a snapshot whose membership does not include us: a member that joined
        // after the leader's latest snapshot can only catch up through it, and it learns its own
        // addition from the log entries that follow (until then it is not promotable).
        if (r.log.matchTerm(md.index(), md.term())) {
            // We already hold this entry: fast-forward the commit index instead.
            r.log.commitTo(md.index());
            return false;
        }
        if (r.confBeforeRestore == null) {
            r.confBeforeRestore = r.tracker.confState();
        }
        r.restoredSnapshotIndex = md.index();
        r.log.restore(s);
        MembershipChanger.restore(r, md.confState());
        return true;
    }
}
