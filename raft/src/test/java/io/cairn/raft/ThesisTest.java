package io.cairn.raft;

import static io.cairn.raft.PaperTest.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rules from Ongaro's thesis ("Consensus: Bridging Theory and Practice") and etcd's extensions:
 * pre-vote, check-quorum and leader leases, leadership transfer, ReadIndex, membership changes,
 * learners, snapshots and flow control.
 */
class ThesisTest {
    @Test
    @DisplayName("§9.6 pre-vote: a partitioned node does not inflate its term, and rejoining does not disrupt the leader")
    void preVoteKeepsTermStable() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        long term = c.node(1).term();
        c.isolate(3);
        c.tickAll(100);
        assertEquals(term, c.node(3).term(), "pre-vote failed, so the real election never ran");
        c.heal();
        c.tickAll(20);
        assertTrue(c.node(1).isLeader());
        assertEquals(term, c.node(1).term());
    }

    @Test
    @DisplayName("§6.2 check-quorum: a leader that hears from no quorum for an election timeout steps down")
    void checkQuorumStepsDown() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.cut(2, 1);
        c.cut(3, 1);
        for (int i = 0; i < 2 * 10 + 1 && c.node(1).isLeader(); i++) {
            c.node(1).tick();
            c.stabilize();
        }
        assertFalse(c.node(1).isLeader());
    }

    @Test
    @DisplayName("§4.2.3 a follower that heard from its leader within the election timeout ignores vote requests")
    void leaderLeaseIgnoresVotes() {
        TestCluster c = new TestCluster(b -> b.preVote(false), 1, 2, 3);
        c.elect(1);
        long term = c.node(2).term();
        long li = c.member(2).storage.lastIndex();
        c.node(2).step(new Message(MessageType.VOTE, 3, 2, term + 1, c.member(2).storage.term(li), li, List.of(), 0, null,
                false, 0, null));
        assertEquals(term, c.node(2).term(), "the higher term is not even adopted");
        assertTrue(PaperTest.ofType(c.collect(), MessageType.VOTE_RESP).isEmpty());
    }

    @Test
    @DisplayName("§3.10 leadership transfer to an up-to-date follower: TIMEOUT_NOW, then it wins at once")
    void transferToUpToDate() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.node(1).transferLeader(3);
        c.stabilize();
        assertTrue(c.node(3).isLeader());
        assertEquals(3, c.node(1).leaderId());
    }

    @Test
    @DisplayName("§3.10 leadership transfer first catches a lagging target up; proposals are refused meanwhile")
    void transferCatchesUpFirst() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.isolate(3);
        c.node(1).propose(b("x"));
        c.stabilize();
        c.heal();
        c.node(1).transferLeader(3);
        assertThrows(ProposalDroppedException.class, () -> c.node(1).propose(b("y")));
        c.stabilize();
        c.tickAll(1);
        assertTrue(c.node(3).isLeader());
        assertArrayEquals(b("x"), c.member(3).appliedData().get(0));
    }

    @Test
    @DisplayName("§3.10 a transfer to an unreachable target is aborted after an election timeout")
    void transferAborts() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.isolate(3);
        c.node(1).transferLeader(3);
        assertEquals(3, c.node(1).status().leadTransferee());
        for (int i = 0; i < 10; i++) {
            c.node(1).tick();
            c.node(2).tick();
            c.stabilize();
        }
        assertEquals(0, c.node(1).status().leadTransferee());
        assertTrue(c.node(1).isLeader());
        c.node(1).propose(b("after-abort"));
    }

    @Test
    @DisplayName("§6.4 ReadIndex waits until the new leader has committed an entry of its term")
    void readIndexWaitsForCurrentTermCommit() {
        TestCluster c = new TestCluster(b -> b.preVote(false).checkQuorum(false), 1, 2, 3);
        c.elect(1);
        c.node(2).campaign();
        // Deliver the election but hold back the new leader's appends.
        for (int round = 0; round < 10 && !c.node(2).isLeader(); round++) {
            c.collect().forEach(c::deliver);
        }
        assertTrue(c.node(2).isLeader());
        c.node(2).readIndex(b("r"));
        c.processReady(2);
        assertTrue(c.member(2).readStates.isEmpty(), "no read state before a commit in the leader's term");
        c.stabilize();
        assertEquals(List.of(new ReadState(c.node(2).status().commit(), b("r"))), c.member(2).readStates);
    }

    @Test
    @DisplayName("§6.4 a leader cut off from its quorum cannot answer ReadIndex")
    void readIndexNeedsQuorum() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.isolate(1);
        c.node(1).readIndex(b("r"));
        c.stabilize();
        assertTrue(c.member(1).readStates.isEmpty());
        c.heal();
        c.tickAll(1);
        assertEquals(1, c.member(1).readStates.size(), "answered once a heartbeat round reaches a quorum");
    }

    @Test
    @DisplayName("§4.1 a learner receives the log but does not vote or count for commit; promotion makes it a voter")
    void learnerLifecycle() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.node(1).propose(b("before"));
        c.stabilize();
        TestCluster.Member learner = c.addJoiner(4);
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 4, null));
        c.stabilize();
        c.tickAll(2);
        assertTrue(c.node(1).status().confState().learners().contains(4L));
        assertArrayEquals(b("before"), learner.appliedData().get(0), "the learner replays the log");
        // Learners do not count: with 2 and 3 cut off, nothing commits even though 4 acks.
        c.isolate(2);
        c.isolate(3);
        long commit = c.node(1).status().commit();
        c.node(1).propose(b("needs-a-voter"));
        c.stabilize();
        assertEquals(commit, c.node(1).status().commit());
        c.heal();
        c.stabilize();
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_NODE, 4, null));
        c.stabilize();
        assertTrue(c.node(4).status().confState().voters().contains(4L));
        for (int i = 0; i < 30 && !learner.node.isLeader(); i++) {
            c.node(4).tick();
        }
        c.stabilize();
        assertTrue(learner.node.isLeader() || c.leader() != 0);
    }

    @Test
    @DisplayName("§4.1 only one configuration change may be pending at a time")
    void onePendingConfChange() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 4, null));
        assertThrows(ProposalDroppedException.class,
                () -> c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 5, null)));
        c.stabilize();
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 5, null));
        assertThrows(IllegalArgumentException.class, () -> new TestCluster(9).node(9)
                .proposeConfChange(new ConfChange(ConfChangeType.REMOVE_NODE, 9, null)));
    }

    @Test
    @DisplayName("§4.2.3 a removed server cannot disrupt the cluster")
    void removedNodeCannotDisrupt() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.isolate(3);
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.REMOVE_NODE, 3, null));
        c.stabilize();
        assertEquals(2, c.node(1).status().confState().voters().size());
        long term = c.node(1).term();
        c.tickAll(60); // node 3 (which never learned of its removal) keeps trying to campaign
        c.heal();
        c.tickAll(60);
        assertTrue(c.node(1).isLeader());
        assertEquals(term, c.node(1).term());
    }

    @Test
    @DisplayName("§4.1 a removed leader steps down; the rest elect a new leader")
    void removedLeaderStepsDown() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.REMOVE_NODE, 1, null));
        c.stabilize();
        assertFalse(c.node(1).isLeader());
        c.isolate(1);
        c.tickAll(40);
        long leader = c.leader();
        assertTrue(leader == 2 || leader == 3, "leader " + leader);
    }

    @Test
    @DisplayName("§5.1 (thesis ch.5) a follower behind the compacted log is sent a snapshot and resumes replication")
    void snapshotCatchUp() {
        TestCluster c = new TestCluster(1, 2, 3);
        c.elect(1);
        c.isolate(3);
        for (int i = 0; i < 20; i++) {
            c.node(1).propose(b("v" + i));
        }
        c.stabilize();
        TestCluster.Member leader = c.member(1);
        long applied = leader.applied.get(leader.applied.size() - 1).index();
        leader.storage.createSnapshot(applied, leader.storage.confState(), b("state@" + applied));
        leader.storage.compact(applied);
        c.heal();
        c.tickAll(2);
        TestCluster.Member follower = c.member(3);
        assertEquals(applied, follower.storage.snapshot().metadata().index());
        c.node(1).reportSnapshot(3, true);
        c.node(1).propose(b("after-snapshot"));
        c.stabilize();
        c.tickAll(2);
        assertArrayEquals(b("after-snapshot"), follower.appliedData().get(follower.appliedData().size() - 1));
    }

    @Test
    @DisplayName("pipelined driver: a snapshot restored while older conf changes are being applied keeps its membership")
    void snapshotDuringOutstandingConfChanges() {
        MemoryStorage storage = new MemoryStorage();
        RaftNode joiner = RaftNode.create(RaftConfig.builder(9).build(), storage);
        List<Entry> boot = Bootstrap.entries(ConfState.ofVoters(1L, 2L, 3L));
        joiner.step(new Message(MessageType.APP, 1, 9, 2, 0, 0, boot, boot.size(), null, false, 0, null));
        Ready rd = joiner.ready();
        assertEquals(3, rd.committedEntries().size());
        // Before the driver applies those entries, a newer snapshot (which includes 9 as a learner) arrives.
        ConfState snapConf = new ConfState(java.util.Set.of(1L, 2L, 4L), java.util.Set.of(9L)); // 3 removed since
        joiner.step(new Message(MessageType.SNAP, 1, 9, 2, 0, 0, List.of(), 0,
                new Snapshot(new SnapshotMetadata(10, 2, snapConf), b("s")), false, 0, null));
        storage.append(rd.entries());
        ConfState last = null;
        for (Entry e : rd.committedEntries()) {
            last = joiner.applyConfChange(ConfChange.decode(e.data()));
        }
        assertEquals(ConfState.ofVoters(1L, 2L, 3L), last, "the driver records the membership as of the entry");
        joiner.advance(rd);
        assertEquals(snapConf, joiner.status().confState(), "the tracker keeps the snapshot's membership");
    }

    @Test
    @DisplayName("flow control: a leader keeps at most maxInflightMsgs appends unacknowledged per follower")
    void inflightWindow() {
        TestCluster c = new TestCluster(b -> b.maxInflightMsgs(3).maxSizePerMsg(1), 1, 2, 3);
        c.elect(1);
        c.cut(2, 1);
        c.cut(3, 1);
        for (int i = 0; i < 10; i++) {
            c.node(1).propose(b("p" + i));
        }
        long toNode2 = c.collect().stream().filter(m -> m.to() == 2 && m.type() == MessageType.APP && !m.entries().isEmpty()).count();
        assertEquals(3, toNode2);
    }

    @Test
    @DisplayName("flow control: proposals beyond maxUncommittedEntriesSize are dropped")
    void uncommittedLimit() {
        TestCluster c = new TestCluster(b -> b.maxUncommittedEntriesSize(100), 1, 2, 3);
        c.elect(1);
        c.isolate(1);
        c.node(1).propose(new byte[60]);
        c.node(1).propose(new byte[30]);
        assertThrows(ProposalDroppedException.class, () -> c.node(1).propose(new byte[30]));
    }
}
