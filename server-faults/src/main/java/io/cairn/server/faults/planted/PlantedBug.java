package io.cairn.server.faults.planted;

import java.util.Locale;

/**
 * TEST ONLY. Deliberate bugs that the Jepsen-style suite (module jepsen-tests) must catch, so that a
 * passing run means something. A member runs with one when this module's jar is on its class path
 * and the environment variable {@code CAIRN_TEST_PLANTED_BUG=<name>} is set; {@link PlantedBugHooks}
 * turns the named bug into the server's {@link io.cairn.server.faults.FaultHooks}. The shipped server
 * jar contains neither, so no production member can run with one.
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
   * {@code lose-unfsynced} nemesis: the WAL's durable end is also recorded after every persist
   * (file {@value PlantedBugHooks#SYNCED_TAIL_FILE} in the WAL directory), so the nemesis can cut
   * the log back to it after a kill -9, as a power loss would.
   */
  ACK_BEFORE_FSYNC,
  /**
   * The leader's clock for a newly granted lease runs out after half its TTL, so keys on the lease
   * vanish while the client may still rely on them.
   */
  LEASE_EARLY_EXPIRY,
  /**
   * A watch stream silently drops one events response in {@value PlantedBugHooks#WATCH_DROP_ONE_IN}:
   * watchers miss events (a gap in their stream).
   */
  WATCH_DROP_EVENTS;

  /** The environment variable naming the bug. */
  public static final String ENVIRONMENT_VARIABLE = "CAIRN_TEST_PLANTED_BUG";

  /**
   * The bug {@code name} names ({@code follower-local-reads} or {@code FOLLOWER_LOCAL_READS}), or
   * NONE for null or blank.
   *
   * @throws IllegalStateException if it names no bug: a run asked for a bug it would not get
   */
  public static PlantedBug parse(String name) {
    if (name == null || name.isBlank()) {
      return NONE;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(ENVIRONMENT_VARIABLE + "=" + name
          + " names no planted bug (follower-local-reads, ack-before-fsync, lease-early-expiry, watch-drop-events)", e);
    }
  }
}
