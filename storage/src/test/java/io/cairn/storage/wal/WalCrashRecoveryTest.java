package io.cairn.storage.wal;

import static io.cairn.storage.wal.WalTestData.METADATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomized crash test: append, sync, snapshot and release in random order, then crash with a
 * random part of the unsynced bytes reaching the disk, reopen and compare with a model. The
 * recovered state must be the state after some prefix of the written records that includes every
 * synced one; when no roll happened since the last sync it must be exactly the prefix of whole
 * records that fit in the bytes kept. Replay a failure with the seed printed in its message.
 */
class WalCrashRecoveryTest {
  private static final WalOptions OPTIONS = new WalOptions(4096);

  @TempDir Path dir;

  /** The state of the log as the writer sees it, after each record. */
  private record ModelState(WalHardState hardState, WalSnapshotMarker snapshot, List<WalEntry> entries) {
    long lastIndex() {
      return entries.isEmpty() ? snapshot.index() : entries.get(entries.size() - 1).index();
    }

    ModelState with(WalEntry entry) {
      List<WalEntry> next = new ArrayList<>();
      for (WalEntry e : entries) {
        if (e.index() < entry.index()) {
          next.add(e);
        }
      }
      next.add(entry);
      return new ModelState(hardState, snapshot, List.copyOf(next));
    }

    ModelState with(WalHardState state) {
      return new ModelState(state, snapshot, entries);
    }

    ModelState with(WalSnapshotMarker marker) {
      return new ModelState(hardState, marker,
          entries.stream().filter(e -> e.index() > marker.index()).toList());
    }

    static ModelState of(WalState state) {
      return new ModelState(state.hardState(), state.snapshot(), state.entries());
    }
  }

  /** A state the log may recover to, and how many unsynced bytes must survive to reach it. */
  private record Candidate(ModelState state, long unsyncedBytes) {}

  @Test
  void truncateToLastSyncLosesExactlyTheUnsyncedRecords() throws Exception {
    Random random = new Random(41);
    List<WalEntry> synced = WalTestData.entries(random, 1, 5, 1, 100);
    try (Wal wal = Wal.create(dir, METADATA, OPTIONS)) {
      wal.append(new WalHardState(1, 1, 3), synced);
      wal.sync();
      assertEquals(0, wal.unsyncedBytes());
      wal.append(new WalHardState(2, 1, 5), WalTestData.entries(random, 6, 8, 2, 100));
      assertTrue(wal.unsyncedBytes() > 0);
      PowerLoss.loseUnsynced(wal);
      assertThrows(IllegalStateException.class, wal::sync, "a crashed log is closed");
    }
    try (Wal wal = Wal.open(dir, OPTIONS)) {
      assertEquals(synced, wal.recoveredState().entries());
      assertEquals(new WalHardState(1, 1, 3), wal.recoveredState().hardState());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 20261122})
  void everySyncedRecordSurvivesAndNoTornOneIsApplied(long seed) throws Exception {
    Random random = new Random(seed);
    ModelState model = new ModelState(WalHardState.EMPTY, WalSnapshotMarker.NONE, List.of());
    Wal.create(dir, METADATA, OPTIONS).close();
    long term = 1;
    for (int cycle = 0; cycle < 40; cycle++) {
      String context = "seed " + seed + ", cycle " + cycle;
      Wal wal = Wal.open(dir, OPTIONS);
      assertEquals(model, ModelState.of(wal.recoveredState()), context + ": recovered state");
      List<Candidate> candidates = new ArrayList<>(List.of(new Candidate(model, 0)));
      boolean rolledSinceSync = false;
      int operations = 1 + random.nextInt(12);
      for (int op = 0; op < operations; op++) {
        int choice = random.nextInt(10);
        if (choice < 6) {
          term += random.nextInt(4) == 0 ? 1 : 0;
          long lowest = model.snapshot().index() + 1;
          long first = random.nextInt(4) == 0
              ? lowest + random.nextInt((int) (model.lastIndex() - lowest + 2))
              : model.lastIndex() + 1;
          List<WalEntry> batch = WalTestData.entries(random, first, first + random.nextInt(6), term, 300);
          WalHardState hardState = random.nextBoolean()
              ? new WalHardState(term, random.nextInt(3), Math.min(first - 1, model.lastIndex()))
              : null;
          int segmentsBefore = wal.segments().size();
          long unsynced = wal.unsyncedBytes();
          wal.append(hardState, batch);
          for (WalEntry entry : batch) {
            model = model.with(entry);
            unsynced += WalRecordCodec.encodedSize(entry);
            candidates.add(new Candidate(model, unsynced));
          }
          if (hardState != null && !hardState.equals(model.hardState())) {
            model = model.with(hardState);
            unsynced += WalRecordCodec.encodedSize(hardState);
            candidates.add(new Candidate(model, unsynced));
          }
          if (wal.segments().size() != segmentsBefore) {
            rolledSinceSync = true;
          } else {
            assertEquals(wal.unsyncedBytes(), unsynced, context + ": unsynced bytes");
          }
        } else if (choice < 8) {
          wal.sync();
          candidates = new ArrayList<>(List.of(new Candidate(model, 0)));
          rolledSinceSync = false;
        } else if (choice == 8) {
          long index = model.snapshot().index()
              + random.nextInt((int) (model.lastIndex() - model.snapshot().index() + 1));
          long markerTerm = index == model.snapshot().index()
              ? model.snapshot().term()
              : model.entries().get((int) (index - model.snapshot().index() - 1)).term();
          wal.saveSnapshot(index, markerTerm);
          model = model.with(new WalSnapshotMarker(index, markerTerm));
          candidates = new ArrayList<>(List.of(new Candidate(model, 0)));
          rolledSinceSync = false;
        } else {
          wal.releaseBefore(model.snapshot().index());
        }
      }
      long unsynced = wal.unsyncedBytes();
      long keep = switch (random.nextInt(3)) {
        case 0 -> 0;
        case 1 -> unsynced;
        default -> (long) (random.nextDouble() * (unsynced + 1));
      };
      PowerLoss.loseUnsyncedExcept(wal, keep);

      try (Wal reopened = Wal.open(dir, OPTIONS)) {
        ModelState recovered = ModelState.of(reopened.recoveredState());
        String detail = context + ": kept " + keep + " of " + unsynced + " unsynced bytes";
        if (rolledSinceSync) {
          assertTrue(candidates.stream().anyMatch(c -> c.state().equals(recovered)),
              detail + ": recovered state is not a prefix of what was written");
        } else {
          Candidate expected = candidates.get(0);
          for (Candidate candidate : candidates) {
            if (candidate.unsyncedBytes() <= keep) {
              expected = candidate;
            }
          }
          assertEquals(expected.state(), recovered, detail);
        }
        model = recovered;
      }
    }
  }
}
