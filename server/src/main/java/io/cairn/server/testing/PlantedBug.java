package io.cairn.server.testing;

import io.cairn.storage.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * TEST ONLY. Deliberate bugs that the Jepsen-style suite (module jepsen-tests) must catch, so that a
 * passing run means something. A bug is switched on for one member process by the environment
 * variable {@code CAIRN_TEST_PLANTED_BUG=<name>}; the variable is read once, at class load, and with
 * it unset every check below is a constant {@code false} that the JIT folds away.
 *
 * <p>Never set the variable outside the fault-injection tests: each bug breaks a guarantee on
 * purpose.
 */
public enum PlantedBug {
  /** No bug (the default). */
  NONE,
  /**
   * A follower serves linearizable Ranges from its local state without a ReadIndex round, so a
   * follower cut off from the leader keeps answering with stale data.
   */
  FOLLOWER_LOCAL_READS,
  /**
   * A follower acknowledges appended entries without fsyncing them first. Paired with the
   * {@code lose-unfsynced} nemesis: the WAL also records, after every persist, how far its active
   * segment is durable (file {@value #SYNCED_TAIL_FILE} in the WAL directory), so the nemesis can cut
   * the log back to it after a kill -9, as a power loss would.
   */
  ACK_BEFORE_FSYNC,
  /**
   * The leader's clock for a newly granted lease runs out after half its TTL, so keys on the lease
   * vanish while the client may still rely on them.
   */
  LEASE_EARLY_EXPIRY,
  /**
   * A watch stream silently drops one events response in {@value #WATCH_DROP_ONE_IN}: watchers miss
   * events (a gap in their stream).
   */
  WATCH_DROP_EVENTS;

  /** WATCH_DROP_EVENTS drops one events response in this many. */
  public static final int WATCH_DROP_ONE_IN = 50;

  /** Name of the side file holding "{@code <segment file> <durable offset>}" (ACK_BEFORE_FSYNC only). */
  public static final String SYNCED_TAIL_FILE = "synced-tail.planted-bug";

  /** The bug this process runs with; fixed for the process's lifetime. */
  public static final PlantedBug ACTIVE = parse(System.getenv("CAIRN_TEST_PLANTED_BUG"));

  private static PlantedBug parse(String name) {
    if (name == null || name.isBlank()) {
      return NONE;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("CAIRN_TEST_PLANTED_BUG=" + name
          + " names no planted bug (follower-local-reads, ack-before-fsync, lease-early-expiry, watch-drop-events)", e);
    }
  }

  /** Whether this bug is the one switched on. */
  public boolean active() {
    return ACTIVE == this;
  }

  /** Whether a member that is not the leader should skip the fsync of a persist (ACK_BEFORE_FSYNC). */
  public static boolean skipFollowerSync(boolean follower) {
    return follower && ACTIVE == ACK_BEFORE_FSYNC;
  }

  /** After a persist: records how much of the WAL is durable, for the lose-unfsynced nemesis. */
  public static void afterPersist(Wal wal) {
    if (ACTIVE != ACK_BEFORE_FSYNC) {
      return;
    }
    try {
      wal.testOnlyWriteSyncedTail(SYNCED_TAIL_FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("planted bug: cannot record the WAL's synced tail", e);
    }
  }

  /** The leader's clock for a lease granted with {@code ttlNanos}: half of it under LEASE_EARLY_EXPIRY. */
  public static long grantedLeaseNanos(long ttlNanos) {
    return ACTIVE == LEASE_EARLY_EXPIRY ? ttlNanos / 2 : ttlNanos;
  }

  /**
   * Whether a watch stream should drop the events response numbered {@code sequence} (counted per
   * stream from 1) under WATCH_DROP_EVENTS.
   */
  public static boolean dropWatchEvents(long sequence) {
    return ACTIVE == WATCH_DROP_EVENTS && sequence % WATCH_DROP_ONE_IN == 0;
  }
}
