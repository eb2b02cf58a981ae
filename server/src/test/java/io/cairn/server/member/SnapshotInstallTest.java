package io.cairn.server.member;

import io.cairn.server.faults.FaultHooks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ConfState;
import io.cairn.raft.Snapshot;
import io.cairn.raft.SnapshotMetadata;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import io.cairn.storage.wal.Wal;
import io.cairn.storage.wal.WalMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing a leader's snapshot on a follower: the content replacement through the applier, and
 * its crash safety (an install interrupted midway is finished on restart, one that never reached
 * the raft log is dropped). Store contents come from a seeded generator; run with
 * {@code -Dcairn.snapshot.seed=N} to replay a failure.
 */
class SnapshotInstallTest {
  private static final long SEED = Long.getLong("cairn.snapshot.seed", System.nanoTime());
  private static final MvccOptions OPTIONS = MvccOptions.defaults().withDurability(MvccOptions.Durability.RAFT_LOG);
  /** Leader-side store: enough data (about 3 MiB) that copying it takes several batches. */
  private static final int SOURCE_PUTS = 3_000;
  private static final int TARGET_PUTS = 700;
  private static final long SNAPSHOT_TERM = 2;
  /** The leader checkpoints its store as it is when sending, so its content is newer than the snapshot. */
  private static final long SNAPSHOT_INDEX = SOURCE_PUTS - 10;

  @TempDir Path dir;
  private MvccStore source;
  private KvStateMachine sourceMachine;
  private MvccStore target;
  private KvStateMachine targetMachine;
  private SnapshotDirectory snapshots;
  private Path staged;

  @BeforeEach
  void prepare() throws IOException {
    System.out.println("SnapshotInstallTest seed " + SEED + " (replay: -Dcairn.snapshot.seed=" + SEED + ")");
    Random random = new Random(SEED);
    source = MvccStore.open(dir.resolve("source"), OPTIONS);
    sourceMachine = fill(source, members("leader-view", 1, 2, 3), "key-", SOURCE_PUTS, SNAPSHOT_TERM, random);
    target = MvccStore.open(dir.resolve("target"), OPTIONS);
    targetMachine = fill(target, members("stale-view", 1, 2), "old-", TARGET_PUTS, 1, random);
    snapshots = new SnapshotDirectory(dir.resolve("snap"));
    staged = stageCheckpointOf(sourceMachine, snapshots, SNAPSHOT_TERM, SNAPSHOT_INDEX);
  }

  @AfterEach
  void close() {
    source.close();
    target.close();
  }

  @Test
  void installThroughTheApplierReplacesContentAndLogAtomically() throws IOException {
    SnapshotInstaller installer = new SnapshotInstaller(snapshots);
    Applier applier = new Applier(1, targetMachine, new PendingRequests(),
        new LinearizableReads(targetMachine.applied().index(), () -> { }),
        (what, cause) -> { throw new AssertionError(what, cause); });
    Thread applyThread = new Thread(applier, "test-apply");
    applyThread.start();
    ConfState voters = new ConfState(Set.of(1L, 2L, 3L), Set.of());
    Wal wal = Wal.create(dir.resolve("wal"), new WalMetadata(1, 7));
    try (RaftLogStore log = RaftLogStore.recover(wal, wal.recoveredState(), new ConfState(Set.of(1L, 2L), Set.of()),
        FaultHooks.NONE)) {
      installer.install(new Snapshot(new SnapshotMetadata(SNAPSHOT_INDEX, SNAPSHOT_TERM, voters), new byte[0]),
          log, applier);

      assertEquals(sourceMachine.applied().index(), applier.appliedIndex(),
          "applier jumps to the content's applied index");
      assertEquals(SNAPSHOT_INDEX, log.snapshotIndex());
      assertEquals(SNAPSHOT_INDEX, log.storage().firstIndex() - 1, "the log restarts after the snapshot");
      assertEquals(1, installer.installed());
    } finally {
      applier.stop();
      join(applyThread);
    }
    assertSameAsSource(targetMachine);
    assertInstallCleanedUp();
  }

  @Test
  void crashMidCopyIsFinishedOnRestart() {
    snapshots.writeMarker(new SnapshotDirectory.InstallMarker(SNAPSHOT_TERM, SNAPSHOT_INDEX,
        staged.getFileName().toString()));
    // (the raft log recorded the snapshot here: the restart below is told so)
    long[] batches = new long[1];
    assertThrows(SimulatedCrash.class, () -> targetMachine.installSnapshot(staged, copied -> {
      if (++batches[0] == 2) {
        throw new SimulatedCrash();
      }
    }));
    target.close(); // what reached disk stays: a mix of deleted old content and part of the new

    target = MvccStore.open(dir.resolve("target"), OPTIONS);
    KvStateMachine restarted = new KvStateMachine(target, 128);
    assertNotEquals(source.hashKv(0), target.hashKv(0), "the crash left an incomplete copy");
    assertNotEquals(sourceMachine.applied().index(), restarted.applied().index());

    SnapshotInstaller.finishInterrupted(snapshots, SNAPSHOT_INDEX, restarted);

    assertSameAsSource(restarted);
    assertInstallCleanedUp();
  }

  @Test
  void installTheRaftLogNeverRecordedIsDropped() {
    long hashBefore = target.hashKv(0).hash();
    snapshots.writeMarker(new SnapshotDirectory.InstallMarker(SNAPSHOT_TERM, SNAPSHOT_INDEX,
        staged.getFileName().toString()));

    SnapshotInstaller.finishInterrupted(snapshots, 0, targetMachine);

    assertEquals(2 + TARGET_PUTS, targetMachine.applied().index());
    assertEquals(hashBefore, target.hashKv(0).hash(), "the store was not touched");
    assertInstallCleanedUp();
  }

  @Test
  void committedInstallWhoseCheckpointIsGoneFailsLoudly() {
    snapshots.writeMarker(new SnapshotDirectory.InstallMarker(SNAPSHOT_TERM, SNAPSHOT_INDEX,
        staged.getFileName().toString()));
    SnapshotDirectory.deleteTree(staged);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SnapshotInstaller.finishInterrupted(snapshots, SNAPSHOT_INDEX, targetMachine));
    assertTrue(e.getMessage().contains("is gone"), e.getMessage());
    assertTrue(snapshots.readMarker().isPresent(), "the marker stays for the operator to see");
  }

  private void assertSameAsSource(KvStateMachine installed) {
    assertEquals(sourceMachine.applied(), installed.applied());
    assertEquals(sourceMachine.members(), installed.members());
    assertEquals(source.currentRevision(), target.currentRevision());
    assertEquals(source.hashKv(0), target.hashKv(0));
    RangeRequest all = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
        .setRangeEnd(ByteString.copyFrom(new byte[] {0})).build();
    assertEquals(source.range(all).getKvsList(), target.range(all).getKvsList());
    RangeRequest old = RangeRequest.newBuilder().setKey(utf8("old-")).setRangeEnd(utf8("old.")).build();
    assertEquals(0, target.range(old).getKvsCount(), "nothing of the replaced content remains");
  }

  private void assertInstallCleanedUp() {
    assertFalse(snapshots.readMarker().isPresent(), "install marker deleted");
    assertNull(snapshots.staged(SNAPSHOT_TERM, SNAPSHOT_INDEX), "staged checkpoint deleted");
  }

  /**
   * A store bootstrapped as a member of {@code members} is: one conf change per member applied
   * (raft indexes 1..members), then {@code puts} seeded puts.
   */
  private static KvStateMachine fill(MvccStore store, ClusterMembers members, String prefix, int puts, long term,
      Random random) {
    KvStateMachine machine = new KvStateMachine(store, 128);
    machine.bootstrap(members);
    Set<Long> voters = new HashSet<>();
    long index = 0;
    for (MemberAttributes m : members.getMembersList()) {
      voters.add(m.getId());
      machine.applyConfChange(++index, 1, new ConfChange(ConfChangeType.ADD_NODE, m.getId(), null),
          new ConfState(Set.copyOf(voters), Set.of()));
    }
    byte[] value = new byte[1024];
    for (long i = index + 1; i <= index + puts; i++) {
      random.nextBytes(value);
      String key = prefix + random.nextInt(puts / 2);
      machine.apply(i, term, LogRequest.newBuilder()
          .setPut(PutRequest.newBuilder().setKey(utf8(key)).setValue(ByteString.copyFrom(value))).build());
    }
    return machine;
  }

  private static ClusterMembers members(String namePrefix, long... ids) {
    ClusterMembers.Builder b = ClusterMembers.newBuilder().setClusterId(7);
    for (long id : ids) {
      b.addMembers(MemberAttributes.newBuilder().setId(id).setName(namePrefix + id)
          .addPeerUrls("http://127.0.0.1:" + (2380 + id)));
    }
    return b.build();
  }

  /** What the receiver does with a transferred checkpoint: files into a partial directory, then staged. */
  static Path stageCheckpointOf(StateMachine machine, SnapshotDirectory snapshots, long term, long index)
      throws IOException {
    Path checkpoint = snapshots.path().resolveSibling("checkpoint-" + index);
    machine.checkpoint(checkpoint);
    Path partial = snapshots.newPartial(term, index);
    try (Stream<Path> files = Files.list(checkpoint)) {
      for (Path file : files.toList()) {
        Files.copy(file, partial.resolve(file.getFileName()));
      }
    }
    SnapshotDirectory.deleteTree(checkpoint);
    return snapshots.stage(partial, term, index);
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static void join(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stands for the process dying in the middle of the copy. */
  private static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("simulated crash during snapshot install");
    }
  }
}
