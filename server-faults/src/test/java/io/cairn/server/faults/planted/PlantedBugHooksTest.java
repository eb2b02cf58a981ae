package io.cairn.server.faults.planted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.storage.wal.Wal;
import io.cairn.storage.wal.WalEntry;
import io.cairn.storage.wal.WalHardState;
import io.cairn.storage.wal.WalMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each planted bug changes exactly its own hook; the rest keep the correct behaviour. */
class PlantedBugHooksTest {
  @TempDir Path dir;

  @Test
  void eachBugSwitchesOnlyItsOwnHook() {
    for (PlantedBug bug : PlantedBug.values()) {
      PlantedBugHooks hooks = new PlantedBugHooks(bug);
      assertEquals(bug == PlantedBug.ACK_BEFORE_FSYNC, hooks.skipFollowerFsync(), bug.name());
      assertEquals(bug == PlantedBug.FOLLOWER_LOCAL_READS, hooks.serveFollowerReadsLocally(), bug.name());
      assertEquals(bug == PlantedBug.LEASE_EARLY_EXPIRY ? 5_000 : 10_000, hooks.leaseClockNanos(10_000), bug.name());
      assertEquals(bug == PlantedBug.WATCH_DROP_EVENTS, hooks.dropWatchEventsResponse(PlantedBugHooks.WATCH_DROP_ONE_IN),
          bug.name());
      assertFalse(hooks.dropWatchEventsResponse(1), bug.name());
    }
  }

  @Test
  void ackBeforeFsyncRecordsTheDurableEndOfTheLog() throws Exception {
    Path walDir = dir.resolve("wal");
    try (Wal wal = Wal.create(walDir, new WalMetadata(1, 2))) {
      wal.append(new WalHardState(1, 1, 0), List.of(new WalEntry(1, 1, 0, new byte[10])));
      wal.sync();
      wal.append(null, List.of(new WalEntry(2, 1, 0, new byte[10])));
      new PlantedBugHooks(PlantedBug.ACK_BEFORE_FSYNC).afterPersist(wal);
      Wal.DurableEnd end = wal.durableEnd();
      assertTrue(end.offset() > 0 && wal.unsyncedBytes() > 0, "the second entry is not durable yet");
      assertEquals(end.segment().getFileName() + " " + end.offset() + "\n",
          Files.readString(walDir.resolve(PlantedBugHooks.SYNCED_TAIL_FILE)));
    }
    Files.delete(walDir.resolve(PlantedBugHooks.SYNCED_TAIL_FILE));
    try (Wal wal = Wal.open(walDir)) {
      new PlantedBugHooks(PlantedBug.NONE).afterPersist(wal);
      assertFalse(Files.exists(walDir.resolve(PlantedBugHooks.SYNCED_TAIL_FILE)), "only under ack-before-fsync");
    }
  }

  @Test
  void namesParseInEitherSpellingAndAnUnknownOneIsRefused() {
    assertEquals(PlantedBug.FOLLOWER_LOCAL_READS, PlantedBug.parse("follower-local-reads"));
    assertEquals(PlantedBug.WATCH_DROP_EVENTS, PlantedBug.parse(" WATCH_DROP_EVENTS "));
    assertEquals(PlantedBug.NONE, PlantedBug.parse(null));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PlantedBug.parse("slow-disk"));
    assertTrue(e.getMessage().contains("CAIRN_TEST_PLANTED_BUG=slow-disk"), e.getMessage());
  }
}
