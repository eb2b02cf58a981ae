package io.cairn.raft.sim;

import io.cairn.raft.Entry;
import io.cairn.raft.RaftInspector;
import io.cairn.raft.RaftNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Raft's safety properties, checked as the simulation runs:
 * <ul>
 *   <li>election safety: at most one leader per term;</li>
 *   <li>log matching: every durable entry (index, term) has the same data and the same preceding
 *       term on every node (by induction, identical prefixes);</li>
 *   <li>state machine safety: no two nodes apply different entries at an index, every node applies
 *       indexes in order, and state-machine digests agree (also across snapshots);</li>
 *   <li>commit stability: once any node's commit index covers an entry, that index keeps that term
 *       on every node that later commits it;</li>
 *   <li>leader completeness: a new leader holds every entry any node has committed (so no committed
 *       entry was lost);</li>
 *   <li>linearizable reads: a ReadIndex answer is at least the highest index applied anywhere when
 *       the read was issued.</li>
 * </ul>
 */
final class SafetyChecker {
    private record LogKey(long index, long term) {}

    private record LogValue(int dataHash, long prevTerm) {}

    private record Applied(long term, int dataHash, long digest) {}

    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    private final Map<LogKey, LogValue> durable = new HashMap<>();
    private final Map<Long, Applied> applied = new HashMap<>();
    private final Set<String> checkedLeaders = new HashSet<>();
    /** Term of every entry some node has considered committed (its commit index covered it). */
    private final Map<Long, Long> committedTerm = new HashMap<>();
    /** Per node, the highest commit index already recorded into committedTerm. */
    private final Map<Long, Long> recordedCommit = new HashMap<>();
    /** Digest of the state machine after applying each index (for snapshot checks). */
    private final Map<Long, Long> digestAt = new HashMap<>();
    long maxApplied;

    long leaderTerms() {
        return leaderOfTerm.size();
    }

    static int hash(Entry e) {
        return Arrays.hashCode(e.data()) * 3 + e.type().ordinal();
    }

    static long nextDigest(long digest, Entry e) {
        return digest * 1_000_003L + e.index() * 31 + e.term() * 17 + hash(e);
    }

    /** Log matching, checked on the node's durable log right after it persisted entries. */
    void onPersist(long nodeId, io.cairn.raft.MemoryStorage disk, java.util.List<Entry> entries) {
        for (Entry e : entries) {
            if (e.index() < disk.firstIndex()) {
                continue;
            }
            long prevTerm = disk.term(e.index() - 1);
            LogValue v = new LogValue(hash(e), prevTerm);
            LogValue prior = durable.putIfAbsent(new LogKey(e.index(), e.term()), v);
            if (prior != null && !prior.equals(v)) {
                throw new SafetyViolation("log matching: node " + nodeId + " persisted entry " + e.index() + "/term "
                        + e.term() + " with prevTerm " + prevTerm + " but another node has prevTerm " + prior.prevTerm()
                        + (prior.dataHash() != v.dataHash() ? " and different data" : ""));
            }
        }
    }

    /** State machine safety for one applied entry; returns the new digest. */
    long onApply(long nodeId, long lastApplied, long digest, Entry e) {
        if (e.index() != lastApplied + 1) {
            throw new SafetyViolation("node " + nodeId + " applied index " + e.index() + " after " + lastApplied);
        }
        long next = nextDigest(digest, e);
        Applied a = new Applied(e.term(), hash(e), next);
        Applied prior = applied.putIfAbsent(e.index(), a);
        if (prior != null && !prior.equals(a)) {
            throw new SafetyViolation("state machine safety: node " + nodeId + " applied " + e + " at index " + e.index()
                    + " but another node applied term " + prior.term() + (prior.digest() != next ? " (digests differ)" : ""));
        }
        digestAt.putIfAbsent(e.index(), next);
        maxApplied = Math.max(maxApplied, e.index());
        return next;
    }

    /** A node installed a snapshot claiming this digest at this index. */
    void onSnapshotInstalled(long nodeId, long index, long digest) {
        Long known = digestAt.get(index);
        if (known != null && known != digest) {
            throw new SafetyViolation("node " + nodeId + " installed a snapshot at " + index + " whose state differs");
        }
    }

    void onReadState(long nodeId, long readIndex, long appliedWhenIssued) {
        if (readIndex < appliedWhenIssued) {
            throw new SafetyViolation("linearizable read: node " + nodeId + " got read index " + readIndex
                    + " but index " + appliedWhenIssued + " was already applied when the read was issued");
        }
    }

    /** Election safety, commit stability and leader completeness, after every simulation step. */
    void afterStep(Iterable<SimNode> nodes) {
        for (SimNode n : nodes) {
            RaftNode node = n.node;
            if (node == null) {
                continue;
            }
            recordCommitted(n.id, node);
            if (!node.isLeader()) {
                continue;
            }
            long term = node.term();
            Long prior = leaderOfTerm.putIfAbsent(term, n.id);
            if (prior != null && prior != n.id) {
                throw new SafetyViolation("election safety: nodes " + prior + " and " + n.id + " both led term " + term);
            }
            if (checkedLeaders.add(n.id + "@" + term)) {
                checkLeaderCompleteness(n.id, node, term);
            }
        }
    }

    /** Entries a node's commit index covers are committed forever: their term may never change. */
    private void recordCommitted(long id, RaftNode node) {
        long commit = RaftInspector.committed(node);
        long from = Math.max(recordedCommit.getOrDefault(id, 0L), RaftInspector.firstIndex(node) - 1);
        for (long i = from + 1; i <= commit; i++) {
            long t = RaftInspector.termOrMissing(node, i);
            Long prior = committedTerm.putIfAbsent(i, t);
            if (prior != null && prior != t) {
                throw new SafetyViolation("committed entry changed: node " + id + " has " + i + "/term " + t
                        + " committed, but " + i + "/term " + prior + " was committed before");
            }
        }
        recordedCommit.merge(id, commit, Math::max);
    }

    private void checkLeaderCompleteness(long id, RaftNode leader, long term) {
        long first = RaftInspector.firstIndex(leader);
        for (var e : committedTerm.entrySet()) {
            long index = e.getKey();
            if (index < first) {
                continue;
            }
            long have = RaftInspector.termOrMissing(leader, index);
            if (have != e.getValue()) {
                throw new SafetyViolation("leader completeness: node " + id + " became leader of term " + term
                        + " without committed entry " + index + "/term " + e.getValue()
                        + (have < 0 ? " (missing)" : " (has term " + have + ")"));
            }
        }
    }
}
