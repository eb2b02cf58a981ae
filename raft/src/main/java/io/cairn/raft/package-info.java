/**
 * Cairn's Raft consensus core: a deterministic state machine in the style of etcd-io/raft, with no
 * threads, clocks, locks or I/O. Everything it does is a function of its inputs and the seed in
 * {@link io.cairn.raft.RaftConfig}, which is what lets the test suite's simulator replay any failure.
 *
 * <h2>Driving a node</h2>
 * One thread owns a {@link io.cairn.raft.RaftNode} and its storage:
 * <pre>{@code
 * RaftNode node = RaftNode.create(config, storage);     // storage: MemoryStorage.bootstrap(...) or durable
 * loop:
 *   node.tick() every tick interval; node.step(m) for each message received; node.propose(...) etc.
 *   while (node.hasReady()) {
 *     Ready rd = node.ready();
 *     send(rd.messages());                               // may go out before persisting
 *     persist(rd.hardState(), rd.entries(), rd.snapshot()); // fsync if rd.mustSync()
 *     send(rd.messagesAfterPersist());                   // only now: votes, acks
 *     apply(rd.snapshot()); apply(rd.committedEntries()); // CONF_CHANGE -> node.applyConfChange(...)
 *     serve(rd.readStates());                            // once applied up to each index
 *     node.advance(rd);
 *   }
 * }</pre>
 * Every SNAP message must be followed by {@link io.cairn.raft.RaftNode#reportSnapshot(long, boolean)}.
 *
 * <h2>Scope</h2>
 * Membership changes are single-step (one voter at a time, plus learners), as etcd's ConfChange v1;
 * joint consensus is not implemented. ReadIndex runs in etcd's "safe" mode (a heartbeat round per
 * batch of reads); lease-based reads are not offered.
 */
package io.cairn.raft;
