package io.cairn.raft.interaction;

import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.MemoryStorage;
import io.cairn.raft.Message;
import io.cairn.raft.ProposalDroppedException;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftNode;
import io.cairn.raft.ReadState;
import io.cairn.raft.Ready;
import io.cairn.raft.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The world an interaction script drives: real RaftNodes on MemoryStorage, a message queue the
 * script delivers explicitly, and cut links. Each command returns the text compared with the
 * script's expected output.
 */
final class InteractionEnv {
    private static final class Node {
        final long id;
        final MemoryStorage storage;
        RaftNode raft;
        final List<String> applied = new ArrayList<>();
        long appliedIndex;

        Node(long id, MemoryStorage storage) {
            this.id = id;
            this.storage = storage;
        }
    }

    private final TreeMap<Long, Node> nodes = new TreeMap<>();
    private final List<Message> queue = new ArrayList<>();
    private final Set<String> cut = new HashSet<>();
    private boolean preVote = true;
    private boolean checkQuorum = true;
    private long maxSizePerMsg = 1 << 20;

    String run(String commandLine) {
        String[] parts = commandLine.trim().split("\\s+");
        Map<String, String> kv = new TreeMap<>();
        List<String> args = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            } else {
                args.add(parts[i]);
            }
        }
        StringBuilder out = new StringBuilder();
        try {
            switch (parts[0]) {
                case "add-nodes" -> addNodes(Integer.parseInt(args.get(0)), kv, out);
                case "add-joiner" -> addJoiner(Long.parseLong(args.get(0)), out);
                case "campaign" -> node(args.get(0)).raft.campaign();
                case "propose" -> node(args.get(0)).raft.propose(args.get(1).getBytes(StandardCharsets.UTF_8));
                case "propose-conf-change" -> node(args.get(0)).raft.proposeConfChange(
                        new ConfChange(ConfChangeType.valueOf(args.get(1).toUpperCase().replace('-', '_')),
                                Long.parseLong(args.get(2)), null));
                case "read-index" -> node(args.get(0)).raft.readIndex(args.get(1).getBytes(StandardCharsets.UTF_8));
                case "transfer-leader" -> node(args.get(0)).raft.transferLeader(Long.parseLong(args.get(1)));
                case "tick" -> {
                    int n = args.size() > 1 ? Integer.parseInt(args.get(1)) : 1;
                    for (int i = 0; i < n; i++) {
                        node(args.get(0)).raft.tick();
                    }
                }
                case "process-ready" -> {
                    for (String id : args) {
                        processReady(node(id), out);
                    }
                }
                case "deliver-msgs" -> deliver(args, out);
                case "stabilize" -> stabilize(out);
                case "isolate" -> isolate(Long.parseLong(args.get(0)));
                case "cut" -> cut.add(args.get(0) + "->" + args.get(1));
                case "heal" -> cut.clear();
                case "status" -> status(node(args.get(0)), out);
                case "raft-log" -> raftLog(node(args.get(0)), out);
                case "applied" -> out.append(node(args.get(0)).applied).append('\n');
                case "compact" -> compact(node(args.get(0)), out);
                case "report-snapshot" -> node(args.get(0)).raft.reportSnapshot(Long.parseLong(args.get(1)),
                        Boolean.parseBoolean(args.get(2)));
                case "restart" -> restart(node(args.get(0)));
                default -> throw new IllegalArgumentException("unknown command " + parts[0]);
            }
        } catch (ProposalDroppedException | IllegalArgumentException | IllegalStateException e) {
            out.append("error: ").append(e.getMessage()).append('\n');
        }
        return out.length() == 0 ? "ok\n" : out.toString();
    }

    private Node node(String id) {
        Node n = nodes.get(Long.parseLong(id));
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    private RaftConfig config(long id, long applied) {
        return RaftConfig.builder(id).preVote(preVote).checkQuorum(checkQuorum).maxSizePerMsg(maxSizePerMsg)
                .applied(applied).randomSeed(id).build();
    }

    private void addNodes(int count, Map<String, String> kv, StringBuilder out) {
        preVote = Boolean.parseBoolean(kv.getOrDefault("pre-vote", "true"));
        checkQuorum = Boolean.parseBoolean(kv.getOrDefault("check-quorum", "true"));
        maxSizePerMsg = Long.parseLong(kv.getOrDefault("max-size", String.valueOf(1 << 20)));
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            ids.add(id);
        }
        ConfState cs = new ConfState(Set.copyOf(ids), Set.of());
        for (long id : ids) {
            Node n = new Node(id, MemoryStorage.bootstrap(cs));
            n.raft = RaftNode.create(config(id, 0), n.storage);
            nodes.put(id, n);
            out.append("node ").append(id).append(": voters=").append(cs.voters()).append(" log=[")
                    .append(n.storage.firstIndex()).append(',').append(n.storage.lastIndex()).append("]\n");
        }
    }

    private void addJoiner(long id, StringBuilder out) {
        Node n = new Node(id, new MemoryStorage());
        n.raft = RaftNode.create(config(id, 0), n.storage);
        nodes.put(id, n);
        out.append("node ").append(id).append(": empty storage, joining\n");
    }

    private void restart(Node n) {
        n.raft = RaftNode.create(config(n.id, n.appliedIndex), n.storage);
    }

    private boolean processReady(Node n, StringBuilder out) {
        if (!n.raft.hasReady()) {
            return false;
        }
        Ready rd = n.raft.ready();
        out.append("> ").append(n.id).append(" handling Ready #").append(rd.number()).append('\n');
        if (rd.softState() != null) {
            out.append("  Lead:").append(rd.softState().leaderId()).append(" State:").append(rd.softState().role()).append('\n');
        }
        if (rd.hardState() != null) {
            out.append("  HardState Term:").append(rd.hardState().term()).append(" Vote:").append(rd.hardState().vote())
                    .append(" Commit:").append(rd.hardState().commit()).append('\n');
        }
        if (rd.snapshot() != null) {
            out.append("  Snapshot ").append(rd.snapshot()).append('\n');
            n.storage.applySnapshot(rd.snapshot());
            n.appliedIndex = rd.snapshot().metadata().index();
        }
        list(out, "Entries", rd.entries());
        n.storage.append(rd.entries());
        if (rd.hardState() != null) {
            n.storage.setHardState(rd.hardState());
        }
        list(out, "Messages", rd.messages());
        list(out, "MessagesAfterPersist", rd.messagesAfterPersist());
        queue.addAll(rd.messages());
        queue.addAll(rd.messagesAfterPersist());
        list(out, "CommittedEntries", rd.committedEntries());
        for (Entry e : rd.committedEntries()) {
            if (e.type() == EntryType.CONF_CHANGE) {
                ConfState cs = n.raft.applyConfChange(ConfChange.decode(e.data()));
                n.storage.setConfState(cs);
                out.append("  INFO ").append(n.id).append(" applied ").append(ConfChange.decode(e.data())).append(": voters=")
                        .append(cs.voters()).append(" learners=").append(cs.learners()).append('\n');
            } else if (e.data().length > 0) {
                n.applied.add(new String(e.data(), StandardCharsets.UTF_8));
            }
            n.appliedIndex = e.index();
        }
        list(out, "ReadStates", rd.readStates());
        n.raft.advance(rd);
        return true;
    }

    private static void list(StringBuilder out, String title, List<?> items) {
        if (items.isEmpty()) {
            return;
        }
        out.append("  ").append(title).append(":\n");
        for (Object o : items) {
            out.append("    ").append(o instanceof ReadState rs ? rs : o).append('\n');
        }
    }

    private int deliver(List<String> targets, StringBuilder out) {
        List<Message> remaining = new ArrayList<>();
        List<Message> now = new ArrayList<>();
        for (Message m : queue) {
            if (targets.isEmpty() || targets.contains(String.valueOf(m.to()))) {
                now.add(m);
            } else {
                remaining.add(m);
            }
        }
        queue.clear();
        queue.addAll(remaining);
        for (Message m : now) {
            Node to = nodes.get(m.to());
            if (to == null || cut.contains(m.from() + "->" + m.to())) {
                out.append("  dropped: ").append(m).append('\n');
                continue;
            }
            out.append("  ").append(m).append('\n');
            to.raft.step(m);
        }
        return now.size();
    }

    private void stabilize(StringBuilder out) {
        for (int round = 0; round < 1000; round++) {
            boolean any = false;
            for (Node n : nodes.values()) {
                any |= processReady(n, out);
            }
            if (!queue.isEmpty()) {
                any = true;
                out.append("> delivering messages\n");
                deliver(List.of(), out);
            }
            if (!any) {
                return;
            }
        }
        throw new IllegalStateException("did not stabilize");
    }

    private void isolate(long id) {
        for (long other : nodes.keySet()) {
            if (other != id) {
                cut.add(id + "->" + other);
                cut.add(other + "->" + id);
            }
        }
    }

    private void status(Node n, StringBuilder out) {
        Status s = n.raft.status();
        out.append(n.id).append(": ").append(s.role()).append(" term=").append(s.term()).append(" vote=").append(s.vote())
                .append(" lead=").append(s.leaderId()).append(" commit=").append(s.commit()).append(" applied=")
                .append(s.applied()).append(" voters=").append(s.confState().voters()).append(" learners=")
                .append(s.confState().learners()).append('\n');
        for (var e : s.progress().entrySet()) {
            out.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
    }

    private void raftLog(Node n, StringBuilder out) {
        long first = n.storage.firstIndex();
        long last = n.storage.lastIndex();
        if (first > last) {
            out.append("log is empty: first index=").append(first).append(", last index=").append(last).append('\n');
            return;
        }
        for (Entry e : n.storage.entries(first, last + 1, Long.MAX_VALUE)) {
            out.append(e).append('\n');
        }
    }

    private void compact(Node n, StringBuilder out) {
        long index = n.appliedIndex;
        n.storage.createSnapshot(index, n.storage.confState(), ("snap@" + index).getBytes(StandardCharsets.UTF_8));
        n.storage.compact(index);
        out.append("node ").append(n.id).append(": snapshot and compaction at ").append(index).append('\n');
    }
}
