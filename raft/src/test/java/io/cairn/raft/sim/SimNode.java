package io.cairn.raft.sim;

import io.cairn.raft.MemoryStorage;
import io.cairn.raft.RaftNode;
import io.cairn.raft.Ready;

/**
 * One simulated member: a durable disk (MemoryStorage written only when a Ready is persisted),
 * a durable state machine (applied index and digest, written with the apply), and the volatile
 * RaftNode, which a crash discards together with a Ready taken but not yet persisted.
 */
final class SimNode {
    final long id;
    final MemoryStorage disk;
    /** Null while crashed. */
    RaftNode node;
    /** A Ready whose messages went out but which is not yet persisted; lost on crash. */
    Ready pending;
    long appliedIndex;
    long digest;
    int restarts;
    /** Tick at which a crashed node restarts. */
    long downUntil;

    SimNode(long id, MemoryStorage disk) {
        this.id = id;
        this.disk = disk;
    }

    boolean alive() {
        return node != null;
    }
}
