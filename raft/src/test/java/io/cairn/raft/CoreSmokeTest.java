package io.cairn.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The driver-facing contract of RaftNode: Ready cycles, single voter, replication, ReadIndex. */
class CoreSmokeTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a single voter elects itself on campaign() and commits a proposal after the entry is durable")
    void singleVoterSelfElectionAndCommit() {
        TestCluster c = new TestCluster(1);
        RaftNode n = c.node(1);
        n.campaign();
        c.stabilize();
        assertTrue(n.isLeader());
        assertEquals(Bootstrap.TERM + 1, n.term(), "the first election follows the bootstrap term");
        n.propose(b("x"));
        Ready rd = n.ready();
        assertEquals(1, rd.entries().size(), "the proposal is handed out for persistence");
        assertTrue(rd.committedEntries().isEmpty(), "not committed before it is durable");
        c.member(1).storage.append(rd.entries());
        n.advance(rd);
        Ready next = n.ready();
        assertEquals(List.of(rd.entries().get(0)), next.committedEntries());
        assertEquals(rd.entries().get(0).index(), next.hardState().commit());
        n.advance(next);
        assertFalse(n.hasReady());
    }

    @Test
    @DisplayName("three voters: election, replication and apply on every member")
    void threeVotersReplicate() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        for (int i = 0; i < 5; i++) {
            c.node(1).propose(b("v" + i));
        }
        c.stabilize();
        for (long id = 1; id <= 3; id++) {
            List<byte[]> data = c.member(id).appliedData();
            assertEquals(5, data.size(), "member " + id);
            assertArrayEquals(b("v4"), data.get(4));
            assertEquals(c.node(1).status().commit(), c.node(id).status().commit());
        }
    }

    @Test
    @DisplayName("a follower forwards proposals to the leader")
    void followerForwardsProposal() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.node(2).propose(b("via-2"));
        c.stabilize();
        assertArrayEquals(b("via-2"), c.member(3).appliedData().get(0));
    }

    @Test
    @DisplayName("ready() twice without advance() throws; advance() of a wrong batch throws")
    void readyContract() {
        TestCluster c = new TestCluster(1);
        RaftNode n = c.node(1);
        n.campaign();
        Ready rd = n.ready();
        assertThrows(IllegalStateException.class, n::ready);
        Ready fake = new Ready(rd.number() + 7, null, null, List.of(), null, List.of(), List.of(), List.of(), List.of(), false);
        assertThrows(IllegalStateException.class, () -> n.advance(fake));
        n.advance(rd);
    }

    @Test
    @DisplayName("ReadIndex on the leader and through a follower returns the commit index after a heartbeat round")
    void readIndex() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.node(1).propose(b("a"));
        c.stabilize();
        long commit = c.node(1).status().commit();
        c.node(1).readIndex(b("r1"));
        c.node(3).readIndex(b("r3"));
        c.stabilize();
        assertEquals(List.of(new ReadState(commit, b("r1"))), c.member(1).readStates);
        assertEquals(List.of(new ReadState(commit, b("r3"))), c.member(3).readStates);
    }

    @Test
    @DisplayName("ReadIndex on a single voter answers at once")
    void readIndexSingleVoter() {
        TestCluster c = new TestCluster(1);
        c.elect(1);
        c.node(1).readIndex(b("r"));
        c.stabilize();
        assertEquals(List.of(new ReadState(c.node(1).status().commit(), b("r"))), c.member(1).readStates);
    }

    @Test
    @DisplayName("proposals without a leader are dropped with ProposalDroppedException")
    void proposalDroppedWithoutLeader() {
        TestCluster c = new TestCluster(1, 2, 3);
        assertThrows(ProposalDroppedException.class, () -> c.node(2).propose(b("x")));
        assertThrows(ProposalDroppedException.class, () -> c.node(2).readIndex(b("x")));
    }

    @Test
    @DisplayName("responses that promise durable state (APP_RESP, VOTE_RESP) leave only after persisting")
    void durableResponsesWaitForPersistence() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.node(1).campaign();
        c.collect().forEach(c::deliver); // pre-votes
        c.collect().forEach(c::deliver); // pre-vote responses
        c.processReady(1);               // node 1's VOTE requests queued
        c.inFlight.forEach(c::deliver);
        c.inFlight.clear();
        Ready vote = c.node(2).ready();
        assertTrue(vote.messages().isEmpty());
        assertEquals(MessageType.VOTE_RESP, vote.messagesAfterPersist().get(0).type());
        assertTrue(vote.mustSync(), "the vote must be fsynced before the response leaves");
        c.node(2).advance(vote);
        c.stabilize();
        c.node(1).propose(b("x"));
        c.collect().forEach(c::deliver);
        Ready append = c.node(3).ready();
        assertTrue(append.messages().stream().noneMatch(m -> m.type() == MessageType.APP_RESP));
        assertEquals(MessageType.APP_RESP, append.messagesAfterPersist().get(0).type());
        c.node(3).advance(append);
    }

    @Test
    @DisplayName("(planted bug) ACK_BEFORE_PERSIST puts the follower's APP_RESP among the messages sent before persisting")
    void plantedAckBeforePersist() {
        TestCluster c = new TestCluster(cfg -> cfg.testOnlyBug(Bug.ACK_BEFORE_PERSIST), 1, 2, 3);
        c.elect(1);
        c.node(1).propose(b("x"));
        c.collect().forEach(c::deliver);
        Ready append = c.node(3).ready();
        assertEquals(MessageType.APP_RESP, append.messages().get(0).type());
        c.node(3).advance(append);
    }

    @Test
    @DisplayName("invalid config names the bad field")
    void configValidation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RaftConfig.builder(1).electionTick(1).heartbeatTick(1).build());
        assertTrue(e.getMessage().contains("electionTick"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RaftConfig.builder(0).build());
        assertTrue(e.getMessage().contains("id"), e.getMessage());
    }

    @Test
    @DisplayName("ticks alone elect a leader in a 3-node cluster")
    void ticksElect() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.tickAll(30);
        long leader = c.leader();
        assertTrue(leader != 0);
        for (long id = 1; id <= 3; id++) {
            assertEquals(leader, c.node(id).leaderId());
        }
    }
}
