package io.cairn.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A synchronous in-memory cluster for unit tests and the benchmark: each member's Ready is persisted
 * to its MemoryStorage, applied to a list, and its messages queued; {@link #deliverAll()} steps queued
 * messages into their recipients unless the link is cut.
 */
final class TestCluster {
    /** One member: the real node plus its storage and what it applied. */
    static final class Member {
        final long id;
        final MemoryStorage storage;
        RaftNode node;
        final List<Entry> applied = new ArrayList<>();
        final List<ReadState> readStates = new ArrayList<>();

        Member(long id, MemoryStorage storage, RaftNode node) {
            this.id = id;
            this.storage = storage;
            this.node = node;
        }

        List<byte[]> appliedData() {
            List<byte[]> out = new ArrayList<>();
            for (Entry e : applied) {
                if (e.type() == EntryType.NORMAL && e.data().length > 0) {
                    out.add(e.data());
                }
            }
            return out;
        }
    }

    final TreeMap<Long, Member> members = new TreeMap<>();
    final List<Message> inFlight = new ArrayList<>();
    /** Directed links that drop messages: "from->to". */
    private final Set<String> cut = new HashSet<>();
    private final UnaryOperator<RaftConfig.Builder> configure;

    TestCluster(UnaryOperator<RaftConfig.Builder> configure, long... voters) {
        this.configure = configure;
        List<Long> ids = new ArrayList<>();
        for (long v : voters) {
            ids.add(v);
        }
        for (long v : voters) {
            add(v, new ConfState(Set.copyOf(ids), Set.of()));
        }
        // Apply the bootstrap conf changes: no member campaigns while committed ones are unapplied.
        stabilize();
    }

    TestCluster(long... voters) {
        this(b -> b, voters);
    }

    Member add(long id, ConfState initial) {
        return add(id, MemoryStorage.bootstrap(initial));
    }

    /** A member joining the existing cluster: empty storage, learns everything from the leader. */
    Member addJoiner(long id) {
        return add(id, new MemoryStorage());
    }

    private Member add(long id, MemoryStorage storage) {
        RaftNode node = RaftNode.create(configure.apply(RaftConfig.builder(id).randomSeed(id)).build(), storage);
        Member m = new Member(id, storage, node);
        members.put(id, m);
        return m;
    }

    RaftNode node(long id) {
        return members.get(id).node;
    }

    Member member(long id) {
        return members.get(id);
    }

    /** Handles every pending Ready of one member; returns whether there was any. */
    boolean processReady(long id) {
        Member m = members.get(id);
        boolean any = false;
        while (m.node.hasReady()) {
            any = true;
            Ready rd = m.node.ready();
            if (rd.snapshot() != null) {
                m.storage.applySnapshot(rd.snapshot());
            }
            m.storage.append(rd.entries());
            if (rd.hardState() != null) {
                m.storage.setHardState(rd.hardState());
            }
            inFlight.addAll(rd.messages());
            inFlight.addAll(rd.messagesAfterPersist());
            for (Entry e : rd.committedEntries()) {
                if (e.type() == EntryType.CONF_CHANGE) {
                    m.storage.setConfState(m.node.applyConfChange(ConfChange.decode(e.data())));
                }
                m.applied.add(e);
            }
            m.readStates.addAll(rd.readStates());
            m.node.advance(rd);
        }
        return any;
    }

    boolean processAllReady() {
        boolean any = false;
        for (long id : members.keySet()) {
            any |= processReady(id);
        }
        return any;
    }

    /** Steps all queued messages (those on cut links are dropped); returns how many were delivered. */
    int deliverAll() {
        List<Message> batch = new ArrayList<>(inFlight);
        inFlight.clear();
        int n = 0;
        for (Message msg : batch) {
            Member to = members.get(msg.to());
            if (to == null || cut.contains(msg.from() + "->" + msg.to())) {
                continue;
            }
            to.node.step(msg);
            n++;
        }
        return n;
    }

    /** Processes every member's Ready and returns (and removes) all queued messages. */
    List<Message> collect() {
        processAllReady();
        List<Message> out = new ArrayList<>(inFlight);
        inFlight.clear();
        return out;
    }

    /** Steps one message into its recipient, ignoring cut links. */
    void deliver(Message m) {
        if (!cut.contains(m.from() + "->" + m.to())) {
            members.get(m.to()).node.step(m);
        }
    }

    /** Processes readies and delivers messages until the cluster is quiet. */
    void stabilize() {
        for (int round = 0; round < 10_000; round++) {
            boolean any = processAllReady();
            if (inFlight.isEmpty() && !any) {
                return;
            }
            deliverAll();
        }
        throw new IllegalStateException("cluster did not stabilize");
    }

    void isolate(long id) {
        for (long other : members.keySet()) {
            if (other != id) {
                cut.add(id + "->" + other);
                cut.add(other + "->" + id);
            }
        }
    }

    void cut(long from, long to) {
        cut.add(from + "->" + to);
    }

    void heal() {
        cut.clear();
    }

    void tickAll(int ticks) {
        for (int i = 0; i < ticks; i++) {
            for (Member m : members.values()) {
                m.node.tick();
            }
            stabilize();
        }
    }

    /** Elects {@code id} by campaign and stabilizes. */
    void elect(long id) {
        node(id).campaign();
        stabilize();
        if (!node(id).isLeader()) {
            throw new IllegalStateException("node " + id + " did not become leader: " + node(id).status());
        }
    }

    long leader() {
        long leader = 0;
        for (Member m : members.values()) {
            if (m.node.isLeader()) {
                leader = m.id;
            }
        }
        return leader;
    }
}
