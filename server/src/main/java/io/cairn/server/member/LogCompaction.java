package io.cairn.server.member;

/**
 * Keeps the raft log bounded, on disk and in memory, as etcd does at {@code --snapshot-count}:
 * <ul>
 *   <li>every {@link #CHECKPOINT_ENTRIES} applied entries (or {@code snapshotCount}, if smaller) the
 *       state machine is flushed to disk and a snapshot marker at the applied index goes into the
 *       WAL, whose older segments are released. The MVCC store writes without a WAL of its own, so
 *       this is what bounds a restart: the WAL is read from the last marker on, and only entries
 *       applied since the last flush are applied again (etcd commits its backend every 100 ms);
 *   <li>once {@code snapshotCount} entries have been applied since the last compaction, the in-memory
 *       log below the applied index (less a catch-up tail) is dropped as well.
 * </ul>
 * The MVCC store is itself the snapshot: a follower that falls behind the compacted log is sent a
 * checkpoint of it.
 */
final class LogCompaction {
  /** Entries kept below a compaction point for slow followers; etcd keeps 5,000. */
  static final long CATCH_UP_ENTRIES = 5_000;
  /**
   * Applied entries between two flushes of the state machine (and WAL markers): at most this many
   * are read from the WAL and applied again after a crash. A flush writes about this many entries'
   * worth of memtable to disk.
   */
  static final long CHECKPOINT_ENTRIES = 5_000;

  private final StateMachine stateMachine;
  private final long snapshotCount;
  private final long checkpointEntries;

  LogCompaction(StateMachine stateMachine, long snapshotCount) {
    this.stateMachine = stateMachine;
    this.snapshotCount = snapshotCount;
    this.checkpointEntries = Math.min(CHECKPOINT_ENTRIES, snapshotCount);
  }

  void maybeCompact(RaftLogStore log) {
    StateMachine.AppliedPoint applied = stateMachine.applied();
    boolean compact = applied.index() - log.snapshotIndex() >= snapshotCount;
    boolean checkpoint = applied.index() - log.walMarkerIndex() >= checkpointEntries;
    if (!compact && !checkpoint) {
      return;
    }
    if (applied.index() > log.storage().lastIndex()) {
      return; // an installed snapshot's content ran ahead of the log: compact once the log caught up
    }
    stateMachine.flush();
    if (compact) {
      log.compact(applied.index(), applied.confState(), Math.min(CATCH_UP_ENTRIES, snapshotCount));
    } else {
      log.markDurable(applied.index());
    }
  }
}
