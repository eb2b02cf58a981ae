package io.cairn.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of the Raft paper (Ongaro &amp; Ousterhout, "In Search of an Understandable
 * Consensus Algorithm", §5) run against the real core through {@link TestCluster}.
 */
class PaperTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static TestCluster plainRaft(long... ids) {
        // The paper's algorithm: no pre-vote, no check-quorum lease.
        return new TestCluster(c -> c.preVote(false).checkQuorum(false), ids);
    }

    static List<Message> ofType(List<Message> msgs, MessageType t) {
        List<Message> out = new ArrayList<>();
        for (Message m : msgs) {
            if (m.type() == t) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    @DisplayName("§5.1 a server that sees a higher term adopts it and reverts to follower")
    void higherTermMakesFollower() {
        TestCluster c = plainRaft(1, 2, 3);
        c.elect(1);
        long term = c.node(1).term();
        c.node(1).step(new Message(MessageType.APP, 2, 1, term + 5, 0, 0, List.of(), 0, null, false, 0, null));
        assertEquals(term + 5, c.node(1).term());
        assertEquals(Role.FOLLOWER, c.node(1).role());
        assertEquals(2, c.node(1).leaderId());
    }

    @Test
    @DisplayName("§5.1 a request with a stale term is rejected and does not change state")
    void staleTermIgnored() {
        TestCluster c = plainRaft(1, 2, 3);
        c.elect(1);
        c.elect(2);
        long term = c.node(3).term();
        c.node(3).step(new Message(MessageType.APP, 1, 3, term - 1, 0, 0, List.of(), 0, null, false, 0, null));
        assertEquals(term, c.node(3).term());
        assertEquals(2, c.node(3).leaderId(), "the stale leader is not adopted");
    }

    @Test
    @DisplayName("§5.2 a follower starts an election after an election timeout in [electionTick, 2*electionTick)")
    void followerStartsElectionAfterTimeout() {
        TestCluster c = plainRaft(1, 2, 3);
        RaftNode n = c.node(2);
        long term = n.term();
        int ticks = 0;
        while (n.role() == Role.FOLLOWER) {
            n.tick();
            ticks++;
            assertTrue(ticks < 20, "no election within 2*electionTick");
        }
        assertTrue(ticks >= 10, "election before electionTick: " + ticks);
        assertEquals(Role.CANDIDATE, n.role());
        assertEquals(term + 1, n.term());
    }

    @Test
    @DisplayName("§5.2 randomized election timeouts differ between servers")
    void randomizedTimeouts() {
        Set<Integer> seen = new HashSet<>();
        for (long id = 1; id <= 8; id++) {
            TestCluster c = plainRaft(id);
            RaftNode n = c.node(id);
            int ticks = 0;
            while (n.role() == Role.FOLLOWER) {
                n.tick();
                ticks++;
            }
            seen.add(ticks);
        }
        assertTrue(seen.size() > 1, "all timeouts equal: " + seen);
    }

    @Test
    @DisplayName("§5.2 a candidate increments its term, votes for itself and requests votes from every other server")
    void candidateRequestsVotes() {
        TestCluster c = plainRaft(1, 2, 3);
        c.node(1).campaign();
        List<Message> msgs = c.collect();
        List<Message> votes = ofType(msgs, MessageType.VOTE);
        assertEquals(2, votes.size());
        for (Message v : votes) {
            assertEquals(c.node(1).term(), v.term());
            assertEquals(c.member(1).storage.lastIndex(), v.index());
        }
        assertEquals(1, c.member(1).storage.hardState().vote(), "the self-vote is persisted before it counts");
    }

    @Test
    @DisplayName("§5.2 a candidate that receives votes from a majority becomes leader")
    void majorityWins() {
        TestCluster c = plainRaft(1, 2, 3, 4, 5);
        c.isolate(4);
        c.isolate(5);
        c.elect(1);
        assertTrue(c.node(1).isLeader());
    }

    @Test
    @DisplayName("§5.2 without a majority a candidate does not become leader")
    void minorityLoses() {
        TestCluster c = plainRaft(1, 2, 3, 4, 5);
        c.isolate(3);
        c.isolate(4);
        c.isolate(5);
        c.node(1).campaign();
        c.stabilize();
        assertFalse(c.node(1).isLeader());
    }

    @Test
    @DisplayName("§5.2 each server votes for at most one candidate per term, first come first served")
    void oneVotePerTerm() {
        TestCluster c = plainRaft(1, 2, 3);
        long term = c.node(3).term() + 1;
        long li = c.member(3).storage.lastIndex();
        long lt = c.member(3).storage.term(li);
        c.node(3).step(new Message(MessageType.VOTE, 1, 3, term, lt, li, List.of(), 0, null, false, 0, null));
        c.node(3).step(new Message(MessageType.VOTE, 2, 3, term, lt, li, List.of(), 0, null, false, 0, null));
        List<Message> resp = ofType(c.collect(), MessageType.VOTE_RESP);
        assertEquals(2, resp.size());
        assertFalse(resp.get(0).reject(), "first candidate gets the vote");
        assertTrue(resp.get(1).reject(), "second candidate in the same term is refused");
    }

    @Test
    @DisplayName("§5.2 a candidate that hears from a leader of its term reverts to follower")
    void candidateStepsDownOnAppend() {
        TestCluster c = plainRaft(1, 2, 3);
        c.node(2).campaign();
        c.collect();
        long term = c.node(2).term();
        c.node(2).step(new Message(MessageType.APP, 3, 2, term, 0, 0, List.of(), 0, null, false, 0, null));
        assertEquals(Role.FOLLOWER, c.node(2).role());
        assertEquals(3, c.node(2).leaderId());
    }

    @Test
    @DisplayName("§5.2 leader heartbeats keep followers from starting elections")
    void heartbeatsPreventElections() {
        TestCluster c = plainRaft(1, 2, 3);
        c.elect(1);
        long term = c.node(1).term();
        c.tickAll(100);
        assertTrue(c.node(1).isLeader());
        assertEquals(term, c.node(2).term());
    }

    @Test
    @DisplayName("§5.3 an entry is committed once the leader replicated it on a majority, then applied everywhere")
    void commitOnMajority() {
        TestCluster c = plainRaft(1, 2, 3, 4, 5);
        c.elect(1);
        c.isolate(4);
        c.isolate(5);
        c.node(1).propose(b("x"));
        c.stabilize();
        assertArrayEquals(b("x"), c.member(2).appliedData().get(0));
        assertTrue(c.member(4).appliedData().isEmpty());
        c.heal();
        c.tickAll(2);
        assertArrayEquals(b("x"), c.member(4).appliedData().get(0), "the lagging follower catches up");
    }

    @Test
    @DisplayName("§5.3 a follower refuses entries whose predecessor it does not hold (consistency check)")
    void consistencyCheck() {
        TestCluster c = plainRaft(1, 2, 3);
        c.elect(1);
        long term = c.node(2).term();
        long last = c.member(2).storage.lastIndex();
        c.node(2).step(new Message(MessageType.APP, 1, 2, term, term, last + 3,
                List.of(Entry.normal(term, last + 4, b("gap"))), 0, null, false, 0, null));
        Message resp = ofType(c.collect(), MessageType.APP_RESP).get(0);
        assertTrue(resp.reject());
        assertEquals(last, resp.rejectHint(), "the hint points at the follower's last index");
        assertEquals(last, c.member(2).storage.lastIndex());
    }

    @Test
    @DisplayName("§5.3 conflicting uncommitted entries of a follower are overwritten by the leader's")
    void conflictingEntriesReplaced() {
        TestCluster c = plainRaft(1, 2, 3);
        c.elect(1);
        c.isolate(1);
        c.node(1).propose(b("lost-1"));
        c.node(1).propose(b("lost-2"));
        c.stabilize();
        long conflictIndex = c.member(1).storage.lastIndex();
        c.heal();
        c.isolate(1);
        c.elect(2);
        c.node(2).propose(b("kept"));
        c.stabilize();
        c.heal();
        c.tickAll(3);
        assertEquals(c.member(2).storage.term(conflictIndex), c.member(1).storage.term(conflictIndex));
        List<byte[]> applied = c.member(1).appliedData();
        assertArrayEquals(b("kept"), applied.get(applied.size() - 1));
        for (byte[] d : applied) {
            assertNotEquals("lost-1", new String(d, StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("§5.3 fast back-off: a follower far behind in another term is repaired in few round trips")
    void fastBackoff() {
        TestCluster c = new TestCluster(c2 -> c2.preVote(false).checkQuorum(false).maxSizePerMsg(1), 1, 2, 3);
        c.elect(1);
        c.isolate(1);
        for (int i = 0; i < 50; i++) {
            c.node(1).propose(b("stale" + i));
        }
        c.stabilize();
        c.heal();
        c.isolate(1);
        c.elect(2);
        for (int i = 0; i < 50; i++) {
            c.node(2).propose(b("new" + i));
        }
        c.stabilize();
        c.heal();
        c.node(2).propose(b("probe"));
        int rejections = 0;
        for (int round = 0; round < 200 && c.member(1).appliedData().size() < 51; round++) {
            c.node(2).tick();
            for (Message m : c.collect()) {
                if (m.type() == MessageType.APP_RESP && m.reject() && m.from() == 1) {
                    rejections++;
                }
                c.deliver(m);
            }
        }
        assertEquals(51, c.member(1).appliedData().size());
        assertTrue(rejections <= 2, "back-off took " + rejections + " rejections for 50 conflicting entries");
    }

    @Test
    @DisplayName("§5.4.1 a server refuses its vote to a candidate whose log is less up to date")
    void voteRequiresUpToDateLog() {
        TestCluster c = plainRaft(1, 2, 3);
        c.elect(1);
        c.isolate(3);
        c.node(1).propose(b("x"));
        c.stabilize();
        c.heal();
        c.isolate(1);
        c.node(3).campaign();
        c.stabilize();
        assertFalse(c.node(3).isLeader(), "node 3 lacks a committed entry and must not win");
        List<Message> none = c.collect();
        assertTrue(none.isEmpty());
    }

    /**
     * Figure 8 on three servers: node 1 (term a) holds e alone; node 2 (term b &gt; a) holds a
     * conflicting no-op at e's index alone; node 1 then leads term c and copies e to node 3. Counting
     * replicas would commit e, yet node 2 could still win (its last term b beats e's term a at node 3)
     * and overwrite it. Returns the cluster right after node 3 acknowledged e to node 1, before the
     * leader's own-term no-op reached node 3.
     */
    record Figure8(TestCluster c, long eIndex) {}

    static Figure8 figure8(java.util.function.UnaryOperator<RaftConfig.Builder> extra) {
        TestCluster c = new TestCluster(b -> extra.apply(b.preVote(false).checkQuorum(false).maxSizePerMsg(1)), 1, 2, 3);
        c.elect(1);
        c.isolate(1);
        c.node(1).propose(b("e"));
        c.stabilize();
        long eIndex = c.member(1).storage.lastIndex();
        c.heal();
        c.isolate(1);
        c.node(2).campaign();
        while (!c.node(2).isLeader()) {
            c.collect().forEach(c::deliver);
        }
        c.isolate(2);
        c.stabilize();
        c.heal();
        c.isolate(2);
        // Node 3 campaigns (and loses: its log is shorter) so the stale leader 1 learns a newer term.
        c.node(3).campaign();
        c.stabilize();
        for (int attempt = 0; attempt < 5 && !c.node(1).isLeader(); attempt++) {
            c.node(1).campaign();
            for (int round = 0; round < 10 && !c.node(1).isLeader(); round++) {
                c.collect().forEach(c::deliver);
            }
        }
        assertTrue(c.node(1).isLeader());
        // Node 1 probes node 3 (one entry per message); run until node 3 has persisted e.
        for (int round = 0; round < 20 && c.member(3).storage.lastIndex() < eIndex; round++) {
            c.collect().forEach(c::deliver);
        }
        for (Message m : c.collect()) {
            if (m.type() == MessageType.APP_RESP) {
                c.deliver(m);
            }
        }
        c.processAllReady();
        c.inFlight.clear();
        return new Figure8(c, eIndex);
    }

    @Test
    @DisplayName("§5.4.2 a leader never commits an entry of an earlier term by counting replicas (Figure 8)")
    void noCommitOfEarlierTermByCounting() {
        Figure8 f = figure8(b -> b);
        TestCluster c = f.c();
        long eIndex = f.eIndex();
        assertEquals(c.member(1).storage.term(eIndex), c.member(3).storage.term(eIndex), "e is on a majority");
        assertTrue(c.node(1).status().commit() < eIndex, "e must not be committed by counting replicas");
        // Node 2 may now legitimately win and overwrite e: nothing committed is lost.
        c.heal();
        c.isolate(1);
        c.node(3).campaign(); // loses, but teaches the stale leader 2 the current term
        c.stabilize();
        c.node(2).campaign();
        c.stabilize();
        assertTrue(c.node(2).isLeader());
        assertNotEquals(c.member(1).storage.term(eIndex), c.member(3).storage.term(eIndex), "e was overwritten");
    }

    @Test
    @DisplayName("§5.4.2 (planted bug) counting replicas of an earlier-term entry commits it")
    void plantedBugCommitsByCounting() {
        Figure8 f = figure8(b -> b.testOnlyBug(Bug.COMMIT_EARLIER_TERM_BY_COUNTING));
        assertEquals(f.eIndex(), f.c().node(1).status().commit(), "the broken leader commits e by counting");
    }

    @Test
    @DisplayName("§5.5 a follower that crashes and restarts catches up from its durable log")
    void followerRestart() {
        TestCluster c = plainRaft(1, 2, 3);
        c.elect(1);
        c.node(1).propose(b("a"));
        c.stabilize();
        TestCluster.Member m = c.member(3);
        long applied = m.applied.get(m.applied.size() - 1).index();
        m.node = RaftNode.create(RaftConfig.builder(3).preVote(false).checkQuorum(false).applied(applied).build(), m.storage);
        c.node(1).propose(b("b"));
        c.stabilize();
        assertArrayEquals(b("b"), m.appliedData().get(m.appliedData().size() - 1));
    }
}
