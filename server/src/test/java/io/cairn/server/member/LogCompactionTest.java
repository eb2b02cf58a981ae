package io.cairn.server.member;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.HardState;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.LogRequest;
import io.cairn.storage.wal.Wal;
import io.cairn.storage.wal.WalMetadata;
import io.cairn.storage.wal.WalState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restart has to read back: the state machine is flushed and a WAL marker written every
 * {@link LogCompaction#CHECKPOINT_ENTRIES} applied entries, so the WAL read and the replay after a
 * crash stay bounded even with etcd's large {@code --snapshot-count}; the in-memory log is only
 * compacted at the snapshot count.
 */
class LogCompactionTest {
  private static final ConfState VOTERS = new ConfState(Set.of(1L, 2L, 3L), Set.of());
  private static final long SNAPSHOT_COUNT = 100_000;

  @TempDir Path dir;

  @Test
  void checkpointsEveryCheckpointEntriesWithoutCompactingTheMemoryLog() throws IOException {
    long applied = LogCompaction.CHECKPOINT_ENTRIES + 1_234;
    AppliedStub machine = new AppliedStub();
    try (RaftLogStore log = logWith(applied + 500)) {
      LogCompaction compaction = new LogCompaction(machine, SNAPSHOT_COUNT);
      machine.applied = LogCompaction.CHECKPOINT_ENTRIES - 1;
      compaction.maybeCompact(log);
      assertEquals(0, machine.flushes, "below the interval nothing is flushed");
      assertEquals(0, log.walMarkerIndex());

      machine.applied = applied;
      compaction.maybeCompact(log);
      assertEquals(1, machine.flushes, "the state machine is flushed before the marker");
      assertEquals(applied, log.walMarkerIndex());
      assertEquals(1, log.storage().firstIndex(), "the in-memory log is kept for followers");

      compaction.maybeCompact(log);
      assertEquals(1, machine.flushes, "one checkpoint per interval");
    }
    try (Wal reopened = Wal.open(dir)) {
      WalState state = reopened.recoveredState();
      assertEquals(applied, state.snapshot().index(), "a restart reads the WAL from the marker");
      assertEquals(500, state.entries().size(), "only the entries after the marker are read back");
      assertEquals(applied + 1, state.entries().get(0).index());
    }
  }

  @Test
  void compactsTheMemoryLogAtTheSnapshotCount() throws IOException {
    long snapshotCount = 3_000;
    AppliedStub machine = new AppliedStub();
    try (RaftLogStore log = logWith(10_000)) {
      machine.applied = 9_000;
      new LogCompaction(machine, snapshotCount).maybeCompact(log);
      assertEquals(1, machine.flushes);
      assertEquals(9_000, log.walMarkerIndex());
      assertEquals(9_000, log.snapshotIndex());
      assertEquals(9_000 - Math.min(LogCompaction.CATCH_UP_ENTRIES, snapshotCount) + 1, log.storage().firstIndex(),
          "the catch-up tail stays in memory");
    }
  }

  /** A log whose WAL holds entries 1..{@code lastIndex}, all committed. */
  private RaftLogStore logWith(long lastIndex) throws IOException {
    Wal wal = Wal.create(dir, new WalMetadata(1, 7));
    RaftLogStore log = RaftLogStore.recover(wal, wal.recoveredState(), VOTERS);
    List<Entry> entries = new ArrayList<>();
    for (long i = 1; i <= lastIndex; i++) {
      entries.add(new Entry(1, i, EntryType.NORMAL, new byte[16]));
      if (entries.size() == 1_000 || i == lastIndex) {
        log.persist(new HardState(1, 1, i), entries, false);
        entries = new ArrayList<>();
      }
    }
    return log;
  }

  /** Only what log compaction asks of a state machine: where it stands, and flush. */
  private static final class AppliedStub implements StateMachine {
    long applied;
    int flushes;

    @Override
    public AppliedPoint applied() {
      return new AppliedPoint(applied, 1, VOTERS);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public Object apply(long index, long term, LogRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void applyEmpty(long index, long term) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void applyConfChange(long index, long term, ConfChange change, ConfState after) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ClusterMembers members() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void bootstrap(ClusterMembers members) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean hasIdleWork() {
      return false;
    }

    @Override
    public void doIdleWork() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkpoint(Path dir) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void installSnapshot(Path checkpoint) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() { }
  }
}
