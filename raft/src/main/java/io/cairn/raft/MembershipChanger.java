package io.cairn.raft;

import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies membership changes to a {@link Raft}'s tracker: one voter at a time (etcd's ConfChange v1
 * "simple" changes), learners added, promoted, demoted or removed. A change that would leave no
 * voter is ignored, deterministically on every member.
 */
final class MembershipChanger {
    private MembershipChanger() {}

    /** True when applying {@code cc} to a configuration with these voters would leave none. */
    static boolean removesLastVoter(Set<Long> voters, ConfChange cc) {
        boolean affectsVoter = voters.contains(cc.nodeId())
                && (cc.type() == ConfChangeType.REMOVE_NODE || cc.type() == ConfChangeType.ADD_LEARNER_NODE);
        return affectsVoter && voters.size() == 1;
    }

    /** The same change as {@link #apply} on a plain ConfState, touching no tracker. */
    static ConfState applyTo(ConfState cs, ConfChange cc) {
        if (removesLastVoter(cs.voters(), cc)) {
            return cs;
        }
        TreeSet<Long> voters = new TreeSet<>(cs.voters());
        TreeSet<Long> learners = new TreeSet<>(cs.learners());
        long id = cc.nodeId();
        voters.remove(id);
        learners.remove(id);
        switch (cc.type()) {
            case ADD_NODE -> voters.add(id);
            case ADD_LEARNER_NODE -> learners.add(id);
            case REMOVE_NODE -> { }
        }
        return new ConfState(voters, learners);
    }

    static ConfState apply(Raft r, ConfChange cc) {
        ProgressTracker t = r.tracker;
        if (removesLastVoter(t.voters, cc)) {
            return t.confState();
        }
        long id = cc.nodeId();
        Progress pr = t.progress.get(id);
        switch (cc.type()) {
            case ADD_NODE -> place(r, id, pr, false);
            case ADD_LEARNER_NODE -> place(r, id, pr, true);
            case REMOVE_NODE -> {
                t.progress.remove(id);
                t.voters.remove(id);
                t.learners.remove(id);
            }
        }
        switchToConfig(r);
        return t.confState();
    }

    /** Makes id a voter or a learner, keeping its progress if it is already a member. */
    private static void place(Raft r, long id, Progress pr, boolean learner) {
        ProgressTracker t = r.tracker;
        if (pr == null) {
            t.progress.put(id, fresh(r, learner));
        } else {
            pr.isLearner = learner;
        }
        (learner ? t.voters : t.learners).remove(id);
        (learner ? t.learners : t.voters).add(id);
    }

    private static Progress fresh(Raft r, boolean learner) {
        // Probe from the last index: a caught-up newcomer answers the first probe positively.
        Progress pr = r.tracker.newProgress(0, Math.max(r.log.lastIndex(), 1), learner);
        pr.recentActive = true;
        return pr;
    }

    /** Replaces the membership wholesale (snapshot install). */
    static void restore(Raft r, ConfState cs) {
        ProgressTracker t = r.tracker;
        t.progress.clear();
        t.voters.clear();
        t.learners.clear();
        t.voters.addAll(cs.voters());
        t.learners.addAll(cs.learners());
        long last = r.log.lastIndex();
        for (long id : cs.voters()) {
            t.progress.put(id, r.tracker.newProgress(0, last + 1, false));
        }
        for (long id : cs.learners()) {
            t.progress.put(id, r.tracker.newProgress(0, last + 1, true));
        }
        Progress self = t.progress.get(r.id);
        if (self != null) {
            self.match = last;
        }
        switchToConfig(r);
    }

    private static void switchToConfig(Raft r) {
        Progress self = r.tracker.progress.get(r.id);
        if (r.role != Role.LEADER) {
            return;
        }
        if (self == null || self.isLearner) {
            // A removed or demoted leader steps down at once (etcd's StepDownOnRemoval); the
            // remaining voters elect a new leader after their election timeout.
            r.becomeFollower(r.term, 0);
            return;
        }
        if (LeaderRole.maybeCommit(r)) {
            LeaderRole.bcastAppend(r);
        } else {
            for (long peer : new ArrayList<>(r.tracker.progress.keySet())) {
                if (peer != r.id) {
                    LeaderRole.maybeSendAppend(r, peer, false);
                }
            }
        }
        if (r.leadTransferee != 0 && !r.tracker.voters.contains(r.leadTransferee)) {
            r.leadTransferee = 0;
        }
    }
}
