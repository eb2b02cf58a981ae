package io.cairn.server.faults.planted;

import io.cairn.server.faults.FaultHooks;
import io.cairn.storage.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * TEST ONLY. The server's fault hooks for one {@link PlantedBug}: registered as a {@link
 * java.util.ServiceLoader} provider by this module's jar, which jepsen-tests puts on a member's class
 * path only for a run that asks for a planted bug. The bug comes from {@value
 * PlantedBug#ENVIRONMENT_VARIABLE}, read once when the server starts; with it unset every hook keeps
 * the correct behaviour.
 */
public final class PlantedBugHooks implements FaultHooks {
  /** WATCH_DROP_EVENTS drops one events response in this many. */
  public static final int WATCH_DROP_ONE_IN = 50;

  /**
   * Name of the side file in the WAL directory holding "{@code <segment file> <durable offset>}"
   * (ACK_BEFORE_FSYNC only); jepsen-tests' LoseUnfsyncedNemesis reads it.
   */
  public static final String SYNCED_TAIL_FILE = "synced-tail.planted-bug";

  private final PlantedBug bug;

  /** The hooks for the bug named by the environment (ServiceLoader's constructor). */
  public PlantedBugHooks() {
    this(PlantedBug.parse(System.getenv(PlantedBug.ENVIRONMENT_VARIABLE)));
  }

  public PlantedBugHooks(PlantedBug bug) {
    this.bug = bug;
  }

  @Override
  public boolean skipFollowerFsync() {
    return bug == PlantedBug.ACK_BEFORE_FSYNC;
  }

  /** Under ACK_BEFORE_FSYNC: records how much of the WAL is durable, for the lose-unfsynced nemesis. */
  @Override
  public void afterPersist(Wal wal) {
    if (bug != PlantedBug.ACK_BEFORE_FSYNC) {
      return;
    }
    Wal.DurableEnd end = wal.durableEnd();
    Path target = wal.dir().resolve(SYNCED_TAIL_FILE);
    Path temp = wal.dir().resolve(SYNCED_TAIL_FILE + ".tmp");
    try {
      Files.writeString(temp, end.segment().getFileName() + " " + end.offset() + "\n");
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("planted bug: cannot record the WAL's synced tail", e);
    }
  }

  @Override
  public boolean serveFollowerReadsLocally() {
    return bug == PlantedBug.FOLLOWER_LOCAL_READS;
  }

  /** Half the TTL under LEASE_EARLY_EXPIRY. */
  @Override
  public long leaseClockNanos(long ttlNanos) {
    return bug == PlantedBug.LEASE_EARLY_EXPIRY ? ttlNanos / 2 : ttlNanos;
  }

  @Override
  public boolean dropWatchEventsResponse(long sequence) {
    return bug == PlantedBug.WATCH_DROP_EVENTS && sequence % WATCH_DROP_ONE_IN == 0;
  }

  @Override
  public String toString() {
    return "planted bug " + bug;
  }
}
