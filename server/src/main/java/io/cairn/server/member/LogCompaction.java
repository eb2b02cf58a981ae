package io.cairn.server.member;

/**
 * Keeps the raft log bounded: once {@code snapshotCount} entries have been applied since the last
 * compaction, the state machine is flushed to disk and the log below the applied index (less a
 * catch-up tail) is dropped from memory and from the WAL, as etcd does at {@code --snapshot-count}.
 * The MVCC store is itself the snapshot: a follower that falls behind the compacted log is sent a
 * checkpoint of it.
 */
final class LogCompaction {
  /** Entries kept below a compaction point for slow followers; etcd keeps 5,000. */
  static final long CATCH_UP_ENTRIES = 5_000;

  private final StateMachine stateMachine;
  private final long snapshotCount;

  LogCompaction(StateMachine stateMachine, long snapshotCount) {
    this.stateMachine = stateMachine;
    this.snapshotCount = snapshotCount;
  }

  void maybeCompact(RaftLogStore log) {
    StateMachine.AppliedPoint applied = stateMachine.applied();
    if (applied.index() - log.snapshotIndex() < snapshotCount) {
      return;
    }
    if (applied.index() > log.storage().lastIndex()) {
      return; // an installed snapshot's content ran ahead of the log: compact once the log caught up
    }
    stateMachine.flush();
    log.compact(applied.index(), applied.confState(), Math.min(CATCH_UP_ENTRIES, snapshotCount));
  }
}
