package io.cairn.server.member;

import io.cairn.raft.Bootstrap;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.HardState;
import io.cairn.raft.MemoryStorage;
import io.cairn.raft.Snapshot;
import io.cairn.raft.SnapshotMetadata;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.server.testing.PlantedBug;
import io.cairn.storage.wal.Wal;
import io.cairn.storage.wal.WalEntry;
import io.cairn.storage.wal.WalHardState;
import io.cairn.storage.wal.WalState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The raft log of this member: durable in the {@link Wal}, readable by raft from an in-memory copy
 * of the tail ({@link MemoryStorage}) that holds the entries since the last log compaction.
 *
 * <p>Owned by the raft loop thread. Every method that changes the log writes the WAL first, so the
 * in-memory copy never holds anything a crash could lose once {@link #persist} returned with sync.
 */
final class RaftLogStore implements AutoCloseable {
  private final Wal wal;
  private final MemoryStorage memory;
  /** The last snapshot marker in the WAL: a restart reads the entries after it only. */
  private long walMarkerIndex;

  private RaftLogStore(Wal wal, MemoryStorage memory) {
    this.wal = wal;
    this.memory = memory;
    this.walMarkerIndex = memory.snapshot().metadata().index();
  }

  /**
   * A log for a member bootstrapping a new cluster: as etcd does, it starts with one committed
   * conf change per initial member (term 1, indexes 1..n, in ascending id order), each carrying the
   * member's name and peer URLs, written to the WAL before raft starts. Every initial member writes
   * the same entries (they are derived from {@code --initial-cluster} alone), and the membership
   * can always be rebuilt by replaying them.
   */
  static RaftLogStore bootstrap(Wal wal, ClusterMembers members) {
    List<MemberAttributes> sorted = new ArrayList<>(members.getMembersList());
    sorted.sort(Comparator.comparingLong(MemberAttributes::getId));
    List<Entry> entries = new ArrayList<>();
    Set<Long> voters = new HashSet<>();
    for (MemberAttributes m : sorted) {
      MemberAttributes context = MemberAttributes.newBuilder()
          .setId(m.getId()).setName(m.getName()).addAllPeerUrls(m.getPeerUrlsList()).build();
      entries.add(new Entry(Bootstrap.TERM, entries.size() + 1, EntryType.CONF_CHANGE,
          new ConfChange(ConfChangeType.ADD_NODE, m.getId(), context.toByteArray()).encode()));
      voters.add(m.getId());
    }
    RaftLogStore log = new RaftLogStore(wal, new MemoryStorage());
    log.persist(new HardState(Bootstrap.TERM, 0, entries.size()), entries, true);
    log.setConfState(new ConfState(voters, Set.of()));
    return log;
  }

  /**
   * An empty log for a member joining a running cluster: no bootstrap entries, since the leader
   * replicates the whole history (or a snapshot of it) to the new member.
   */
  static RaftLogStore empty(Wal wal) {
    return new RaftLogStore(wal, new MemoryStorage());
  }

  /**
   * The log recovered from the WAL after a restart. {@code confState} is the membership as of the
   * state machine's applied index, which raft restarts from.
   */
  static RaftLogStore recover(Wal wal, WalState state, ConfState confState) {
    MemoryStorage memory = new MemoryStorage();
    if (state.snapshot().index() > 0) {
      memory.applySnapshot(new Snapshot(
          new SnapshotMetadata(state.snapshot().index(), state.snapshot().term(), confState), new byte[0]));
    }
    memory.append(fromWal(state.entries()));
    WalHardState hs = state.hardState();
    memory.setHardState(new HardState(hs.term(), hs.vote(), hs.commit()));
    memory.setConfState(confState);
    return new RaftLogStore(wal, memory);
  }

  MemoryStorage storage() {
    return memory;
  }

  long snapshotIndex() {
    return memory.snapshot().metadata().index();
  }

  /** Appends one Ready's entries and hard state; one fsync covers the whole batch. */
  void persist(HardState hardState, List<Entry> entries, boolean sync) {
    if (hardState == null && entries.isEmpty()) {
      return;
    }
    WalHardState hs = hardState == null ? null
        : new WalHardState(hardState.term(), hardState.vote(), hardState.commit());
    try {
      wal.append(hs, toWal(entries));
      if (sync) {
        wal.sync();
      }
      PlantedBug.afterPersist(wal); // test-only, a no-op unless CAIRN_TEST_PLANTED_BUG is set
    } catch (IOException e) {
      throw new UncheckedIOException("raft log write failed", e);
    }
    if (hardState != null) {
      memory.setHardState(hardState);
    }
    if (!entries.isEmpty()) {
      memory.append(entries);
    }
  }

  void setConfState(ConfState confState) {
    memory.setConfState(confState);
  }

  /**
   * Records that the state machine durably holds everything up to {@code index} and drops the log
   * below {@code index - keepEntries} (the kept tail lets slow followers catch up without a
   * snapshot).
   */
  void compact(long index, ConfState confState, long keepEntries) {
    memory.createSnapshot(index, confState, new byte[0]);
    markDurable(index);
    long compactTo = index - keepEntries;
    if (compactTo > memory.firstIndex()) {
      memory.compact(compactTo);
    }
  }

  long walMarkerIndex() {
    return walMarkerIndex;
  }

  /**
   * Records in the WAL that the state machine durably holds everything up to {@code index} (it was
   * just flushed), and releases the WAL segments below it: a restart then reads, and the state
   * machine replays, only the entries after {@code index}. The in-memory log stays as it is.
   */
  void markDurable(long index) {
    long term = memory.term(index);
    try {
      wal.saveSnapshot(index, term);
      wal.sync();
      wal.releaseBefore(index);
    } catch (IOException e) {
      throw new UncheckedIOException("raft log snapshot marker write failed", e);
    }
    walMarkerIndex = index;
  }

  /** Replaces the log with a snapshot received from the leader (the state machine installed it). */
  void installSnapshot(Snapshot snapshot) {
    SnapshotMetadata meta = snapshot.metadata();
    try {
      wal.saveSnapshot(meta.index(), meta.term());
      wal.sync();
    } catch (IOException e) {
      throw new UncheckedIOException("raft log snapshot marker write failed", e);
    }
    walMarkerIndex = meta.index();
    memory.applySnapshot(snapshot);
  }

  private static List<WalEntry> toWal(List<Entry> entries) {
    List<WalEntry> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(new WalEntry(e.index(), e.term(), e.type().ordinal(), e.data()));
    }
    return out;
  }

  private static List<Entry> fromWal(List<WalEntry> entries) {
    EntryType[] types = EntryType.values();
    List<Entry> out = new ArrayList<>(entries.size());
    for (WalEntry e : entries) {
      out.add(new Entry(e.term(), e.index(), types[e.type()], e.data()));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      wal.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the raft log failed", e);
    }
  }
}
