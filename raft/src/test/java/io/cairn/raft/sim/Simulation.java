package io.cairn.raft.sim;

import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.MemoryStorage;
import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.raft.ProposalDroppedException;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftNode;
import io.cairn.raft.ReadState;
import io.cairn.raft.Ready;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One seeded run of the real {@link RaftNode} on virtual time: a chaos phase of random faults with
 * every step checked by {@link SafetyChecker}, then a healed phase that must elect a leader and
 * commit a proposal within {@link SimOptions#livenessTicks()}. Everything random comes from the
 * seed, so a seed replays exactly.
 */
final class Simulation {
    private final long seed;
    private final SimOptions options;
    private final SplittableRandom random;
    private final SimNetwork network;
    private final SafetyChecker checker = new SafetyChecker();
    private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    private final Map<String, Long> readsIssued = new HashMap<>();
    private final boolean preVote;
    private final boolean checkQuorum;
    private final long maxSizePerMsg;
    private final int maxInflight;
    private long now;
    /** With -Dcairn.sim.trace=true every event is printed (use with -Dcairn.sim.seed=N). */
    private static final boolean TRACE = Boolean.getBoolean("cairn.sim.trace");
    private long nextId;
    private long lastLeaderTermSeen;
    private long isolateId;
    private long isolateAt;
    private long proposals;
    private long reads;
    /** Statistics for the test report. */
    long snapshotsInstalled;
    long crashes;
    long confChangesApplied;
    long readsAnswered;
    long transfersTriggered;

    Simulation(long seed, SimOptions options) {
        this.seed = seed;
        this.options = options;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(random.split(), 0.05, 0.02, 2);
        this.preVote = random.nextInt(4) != 0;
        this.checkQuorum = random.nextInt(4) != 0;
        // One entry per message in half of the runs (so acks for older entries arrive apart).
        this.maxSizePerMsg = random.nextBoolean() ? 1 : 64 + random.nextInt(400);
        this.maxInflight = 2 + random.nextInt(8);
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= options.voters(); id++) {
            ids.add(id);
        }
        for (long id : ids) {
            SimNode n = new SimNode(id, MemoryStorage.bootstrap(new ConfState(Set.copyOf(ids), Set.of())));
            nodes.put(id, n);
            start(n);
        }
        nextId = options.voters() + 1;
    }

    private void trace(java.util.function.Supplier<String> event) {
        if (TRACE) {
            System.out.println("t=" + now + " " + event.get());
        }
    }

    private RaftConfig config(SimNode n) {
        RaftConfig.Builder b = RaftConfig.builder(n.id)
                .electionTick(10)
                .heartbeatTick(1 + random.nextInt(2))
                .maxSizePerMsg(maxSizePerMsg)
                .maxInflightMsgs(maxInflight)
                .preVote(preVote)
                .checkQuorum(checkQuorum)
                .applied(n.appliedIndex)
                .randomSeed(seed * 1_000_003L + n.id * 7919L + n.restarts);
        if (options.bug() != null) {
            b = options.bug().plant(b);
        }
        return b.build();
    }

    private void start(SimNode n) {
        n.node = RaftNode.create(config(n), n.disk);
        n.pending = null;
    }

    /** Runs the whole scenario; throws SafetyViolation on any broken property. */
    void run() {
        for (; now < options.chaosTicks(); now++) {
            tickAll();
            int steps = 10 + random.nextInt(40);
            for (int i = 0; i < steps; i++) {
                chaosStep();
                checker.afterStep(nodes.values());
            }
        }
        heal();
        livenessPhase();
    }

    // ------------------------------------------------------------------ chaos

    private void tickAll() {
        for (SimNode n : nodes.values()) {
            if (n.alive()) {
                n.node.tick();
            } else if (n.downUntil <= now) {
                n.restarts++;
                start(n);
                trace(() -> "RESTART node " + n.id + " " + n.node.status());
            }
        }
    }

    private void chaosStep() {
        SimNode fresh = leader();
        if (fresh != null && fresh.node.term() > lastLeaderTermSeen) {
            lastLeaderTermSeen = fresh.node.term();
            if (random.nextInt(10) < 6) {
                // Nemesis: cut a freshly elected leader off within its first round trips, leaving
                // divergent uncommitted suffixes behind (the raw material of the paper's Figure 8).
                isolateId = fresh.id;
                isolateAt = now + random.nextInt(3);
            }
        }
        if (isolateId != 0 && now >= isolateAt) {
            network.partition(Set.of(isolateId), nodes.keySet());
            trace(() -> "ISOLATE new leader " + isolateId);
            isolateId = 0;
        }
        int r = random.nextInt(1000);
        // Weights per mille: the network and the Ready cycle dominate; faults are rare but long-lived
        // (partitions heal at 2 per mille of steps, i.e. after ~15 ticks), which lets divergent logs
        // meet the elections that expose them.
        if (r < 400) {
            // Deliver a few at a time so the network keeps up with heartbeats on 5+ nodes.
            for (int k = 0; k < 3; k++) {
                deliverOne();
            }
        } else if (r < 620) {
            readyPhaseOne(pick(n -> n.alive() && n.pending == null && n.node.hasReady()));
        } else if (r < 850) {
            readyPhaseTwo(pick(n -> n.alive() && n.pending != null));
        } else if (r < 890) {
            propose(pick(SimNode::alive));
        } else if (r < 905) {
            readIndex(pick(SimNode::alive));
        } else if (r < 915) {
            snapshot(pick(SimNode::alive));
        } else if (r < 916) {
            // Like a Jepsen nemesis, aim at the leader half of the time.
            crash(random.nextBoolean() && leader() != null ? leader() : pick(SimNode::alive));
        } else if (r < 920) {
            partition();
        } else if (r < 922) {
            trace(() -> "HEAL");
            network.heal();
        } else if (r < 925) {
            transferLeader();
        } else if (r < 930) {
            changeMembership();
        }
    }

    private SimNode pick(java.util.function.Predicate<SimNode> filter) {
        List<SimNode> candidates = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (filter.test(n)) {
                candidates.add(n);
            }
        }
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private void deliverOne() {
        SimNetwork.Packet p = network.takeDue(now);
        if (p == null) {
            return;
        }
        Message m = p.message();
        SimNode to = nodes.get(m.to());
        SimNode from = nodes.get(m.from());
        boolean delivered = to != null && to.alive() && !network.isCut(m.from(), m.to());
        if (delivered) {
            if (m.type() == MessageType.TIMEOUT_NOW) {
                transfersTriggered++;
            }
            trace(() -> "deliver " + m);
            to.node.step(m);
        } else {
            trace(() -> "lost " + m);
        }
        if (m.type() == MessageType.SNAP && from != null && from.alive()) {
            from.node.reportSnapshot(m.to(), delivered);
        } else if (!delivered && from != null && from.alive() && random.nextInt(4) == 0 && from.node.isLeader()) {
            from.node.reportUnreachable(m.to());
        }
    }

    /** Takes a Ready and sends what may go out before persisting; the rest waits for phase two. */
    private void readyPhaseOne(SimNode n) {
        if (n == null) {
            return;
        }
        Ready rd = n.node.ready();
        trace(() -> "node " + n.id + " ready#" + rd.number() + " soft=" + rd.softState() + " hard=" + rd.hardState() + " entries="
                + rd.entries() + " committed=" + rd.committedEntries().size() + (rd.snapshot() != null ? " " + rd.snapshot() : ""));
        for (Message m : rd.messages()) {
            send(n, m);
        }
        n.pending = rd;
    }

    /** Sends one message; like a real transport, reports a snapshot that could not be sent. */
    private void send(SimNode from, Message m) {
        boolean sent = network.send(m, now);
        if (!sent && m.type() == MessageType.SNAP) {
            from.node.reportSnapshot(m.to(), false);
        }
    }

    /** Persists the pending Ready, then sends, applies and advances. */
    private void readyPhaseTwo(SimNode n) {
        if (n == null) {
            return;
        }
        Ready rd = n.pending;
        n.pending = null;
        trace(() -> "node " + n.id + " persists ready#" + rd.number() + " afterPersist=" + rd.messagesAfterPersist());
        if (rd.snapshot() != null) {
            n.disk.applySnapshot(rd.snapshot());
            ByteBuffer in = ByteBuffer.wrap(rd.snapshot().data());
            n.appliedIndex = in.getLong();
            n.digest = in.getLong();
            checker.onSnapshotInstalled(n.id, n.appliedIndex, n.digest);
            snapshotsInstalled++;
        }
        n.disk.append(rd.entries());
        checker.onPersist(n.id, n.disk, rd.entries());
        if (rd.hardState() != null) {
            n.disk.setHardState(rd.hardState());
        }
        for (Message m : rd.messagesAfterPersist()) {
            send(n, m);
        }
        for (Entry e : rd.committedEntries()) {
            n.digest = checker.onApply(n.id, n.appliedIndex, n.digest, e);
            n.appliedIndex = e.index();
            if (e.type() == EntryType.CONF_CHANGE) {
                n.disk.setConfState(n.node.applyConfChange(ConfChange.decode(e.data())));
                trace(() -> "node " + n.id + " applied " + ConfChange.decode(e.data()) + " -> " + n.disk.confState());
                confChangesApplied++;
            }
        }
        for (ReadState rs : rd.readStates()) {
            String ctx = new String(rs.context(), StandardCharsets.UTF_8);
            Long issued = readsIssued.get(ctx); // duplicates of a request may be answered again
            if (issued == null) {
                throw new SafetyViolation("node " + n.id + " got a read state for unknown request " + ctx);
            }
            checker.onReadState(n.id, rs.index(), issued);
            readsAnswered++;
        }
        n.node.advance(rd);
    }

    private void propose(SimNode n) {
        if (n == null) {
            return;
        }
        try {
            n.node.propose(("p" + n.id + "-" + (proposals++)).getBytes(StandardCharsets.UTF_8));
        } catch (ProposalDroppedException e) {
            // no leader known or transfer in progress: a client would retry
        }
    }

    private void readIndex(SimNode n) {
        if (n == null) {
            return;
        }
        String ctx = "r" + (reads++);
        try {
            n.node.readIndex(ctx.getBytes(StandardCharsets.UTF_8));
            readsIssued.put(ctx, checker.maxApplied);
        } catch (ProposalDroppedException e) {
            // no leader
        }
    }

    /** Snapshots the node's applied state and compacts most of its log. */
    private void snapshot(SimNode n) {
        if (n == null || n.appliedIndex <= n.disk.snapshot().metadata().index() + 3 || n.appliedIndex > n.disk.lastIndex()) {
            return;
        }
        byte[] data = ByteBuffer.allocate(16).putLong(n.appliedIndex).putLong(n.digest).array();
        n.disk.createSnapshot(n.appliedIndex, n.disk.confState(), data);
        long compactTo = n.appliedIndex - random.nextInt(3);
        if (compactTo >= n.disk.firstIndex()) {
            n.disk.compact(compactTo);
        }
    }

    private void crash(SimNode n) {
        if (n == null) {
            return;
        }
        trace(() -> "CRASH node " + n.id + (n.pending != null ? " losing ready#" + n.pending.number() : ""));
        n.node = null;
        n.pending = null;
        n.downUntil = now + 1 + random.nextInt(12);
        crashes++;
    }

    private void partition() {
        Set<Long> all = nodes.keySet();
        SimNode l = leader();
        if (l != null && random.nextInt(3) == 0) {
            network.partition(Set.of(l.id), all);
            trace(() -> "ISOLATE leader " + l.id);
        } else if (random.nextBoolean()) {
            Set<Long> side = new HashSet<>();
            for (long id : all) {
                if (random.nextBoolean()) {
                    side.add(id);
                }
            }
            network.partition(side, all);
            trace(() -> "PARTITION " + side);
        } else {
            List<Long> ids = new ArrayList<>(all);
            long a = ids.get(random.nextInt(ids.size()));
            long b = ids.get(random.nextInt(ids.size()));
            network.cut(a, b);
            trace(() -> "CUT " + a + "->" + b);
        }
    }

    private SimNode leader() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.alive() && n.node.isLeader() && (best == null || n.node.term() > best.node.term())) {
                best = n;
            }
        }
        return best;
    }

    private void transferLeader() {
        SimNode l = leader();
        if (l == null) {
            return;
        }
        List<Long> voters = new ArrayList<>(l.node.status().confState().voters());
        long target = voters.get(random.nextInt(voters.size()));
        trace(() -> "node " + l.id + " transfer leadership to " + target);
        l.node.transferLeader(target);
    }

    /** Adds a learner, promotes a learner, or removes a voter (never below 3 voters). */
    private void changeMembership() {
        SimNode l = leader();
        if (l == null) {
            return;
        }
        ConfState cs = l.node.status().confState();
        ConfChange cc;
        if (!cs.learners().isEmpty()) {
            cc = new ConfChange(ConfChangeType.ADD_NODE, cs.learners().iterator().next(), null);
        } else if (cs.voters().size() < 5 && nodes.size() < 8 && random.nextBoolean()) {
            long id = nextId;
            cc = new ConfChange(ConfChangeType.ADD_LEARNER_NODE, id, null);
            if (!tryProposeConfChange(l, cc)) {
                return;
            }
            nextId++;
            SimNode n = new SimNode(id, new MemoryStorage());
            nodes.put(id, n);
            start(n);
            return;
        } else if (cs.voters().size() > 3) {
            List<Long> voters = new ArrayList<>(cs.voters());
            cc = new ConfChange(ConfChangeType.REMOVE_NODE, voters.get(random.nextInt(voters.size())), null);
        } else {
            return;
        }
        tryProposeConfChange(l, cc);
    }

    private boolean tryProposeConfChange(SimNode l, ConfChange cc) {
        try {
            l.node.proposeConfChange(cc);
            trace(() -> "node " + l.id + " proposes " + cc);
            return true;
        } catch (ProposalDroppedException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ healing and liveness

    private void heal() {
        network.heal();
        network.dropRate = 0;
        network.duplicateRate = 0;
        network.maxDelayTicks = 1;
        for (SimNode n : nodes.values()) {
            if (!n.alive()) {
                n.restarts++;
                start(n);
            }
        }
    }

    /** After healing, a leader must be elected and commit a fresh proposal within the bound. */
    private void livenessPhase() {
        long healedAt = now;
        byte[] probe = ("probe-" + seed).getBytes(StandardCharsets.UTF_8);
        long proposedAt = -1;
        for (; now < healedAt + options.livenessTicks(); now++) {
            tickAll();
            drain();
            SimNode l = leader();
            if (l == null) {
                continue;
            }
            if (proposedAt < 0 || now - proposedAt >= 20) {
                // A client retries its write if it is not acknowledged (e.g. it went to a stale leader).
                try {
                    l.node.propose(probe);
                    proposedAt = now;
                } catch (ProposalDroppedException e) {
                    continue;
                }
                drain();
            }
            if (appliedProbe(l, probe)) {
                return;
            }
        }
        throw new SafetyViolation("liveness: no leader committed a proposal within " + options.livenessTicks()
                + " ticks after healing (leader=" + (leader() == null ? "none" : leader().id) + ")\n" + describeNodes());
    }

    private boolean appliedProbe(SimNode l, byte[] probe) {
        long first = Math.max(l.disk.firstIndex(), 1);
        for (long i = l.appliedIndex; i >= first && i > 0; i--) {
            Entry e = l.disk.entries(i, i + 1, Long.MAX_VALUE).get(0);
            if (java.util.Arrays.equals(e.data(), probe)) {
                return true;
            }
        }
        return false;
    }

    /** Delivers everything due and persists every Ready until quiet (bounded). */
    private void drain() {
        for (int round = 0; round < 1000; round++) {
            boolean any = false;
            for (SimNetwork.Packet p = network.takeDue(now); p != null; p = network.takeDue(now)) {
                any = true;
                Message m = p.message();
                SimNode to = nodes.get(m.to());
                if (to != null && to.alive()) {
                    trace(() -> "deliver " + m);
                    to.node.step(m);
                }
                if (p.message().type() == MessageType.SNAP) {
                    SimNode from = nodes.get(p.message().from());
                    if (from != null && from.alive()) {
                        from.node.reportSnapshot(p.message().to(), true);
                    }
                }
                checker.afterStep(nodes.values());
            }
            for (SimNode n : nodes.values()) {
                if (n.alive() && n.pending != null) {
                    readyPhaseTwo(n);
                }
                if (n.alive() && n.node.hasReady()) {
                    any = true;
                    readyPhaseOne(n);
                    readyPhaseTwo(n);
                    checker.afterStep(nodes.values());
                }
            }
            if (!any) {
                return;
            }
        }
    }

    long leaderTerms() {
        return checker.leaderTerms();
    }

    long maxApplied() {
        return checker.maxApplied;
    }

    /** One line per node: status and log bounds, for failure reports. */
    String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (SimNode n : nodes.values()) {
            sb.append("  node ").append(n.id);
            if (!n.alive()) {
                sb.append(" DOWN\n");
                continue;
            }
            sb.append(' ').append(n.node.status()).append(" log=[").append(io.cairn.raft.RaftInspector.firstIndex(n.node))
                    .append(',').append(io.cairn.raft.RaftInspector.lastIndex(n.node)).append("] applied=").append(n.appliedIndex)
                    .append(" pending=").append(n.pending != null).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "seed=" + seed + " voters=" + options.voters() + " preVote=" + preVote + " checkQuorum=" + checkQuorum
                + " leaderTerms=" + leaderTerms() + " crashes=" + crashes + " snapshots=" + snapshotsInstalled
                + " confChanges=" + confChangesApplied + " reads=" + readsAnswered + " transfers=" + transfersTriggered
                + " applied=" + checker.maxApplied;
    }

}
