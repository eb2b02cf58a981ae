package io.cairn.server.alarm;

import io.cairn.api.etcdserverpb.AlarmType;
import io.cairn.storage.disk.FreeSpace;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Raises the NOSPACE alarm before the disk is actually full, so the member refuses new data while
 * the WAL still has preallocated room for deletes, compaction and raft traffic:
 *
 * <ul>
 *   <li>when the store grew beyond {@code --quota-backend-bytes} (etcd's rule), or
 *   <li>when the volume of the data directory or of the WAL has less than the reserve free (Cairn's
 *       addition: etcd's 2 GiB quota says nothing on a 64 MiB volume).
 * </ul>
 *
 * <p>{@link #check()} runs once a second on a thread of its own (tests call it directly), and
 * {@link #refusesData()} before each request that adds data.
 */
public final class SpaceMonitor implements AutoCloseable {
  private final Alarms alarms;
  private final FreeSpace freeSpace;
  private final List<Path> volumes;
  private final long reserveBytes;
  private final LongSupplier dbSizeBytes;
  private final long quotaBytes;
  private final ScheduledExecutorService timer;

  /**
   * @param directories the member's directories (data and WAL), each checked for the reserve
   * @param dbSizeBytes what the store occupies now
   */
  public SpaceMonitor(Alarms alarms, FreeSpace freeSpace, List<Path> directories, long reserveBytes,
      LongSupplier dbSizeBytes, long quotaBytes) {
    this.alarms = alarms;
    this.freeSpace = freeSpace;
    Set<Path> distinct = new LinkedHashSet<>();
    directories.forEach(d -> distinct.add(d.toAbsolutePath().normalize()));
    this.volumes = List.copyOf(distinct);
    this.reserveBytes = reserveBytes;
    this.dbSizeBytes = dbSizeBytes;
    this.quotaBytes = quotaBytes;
    this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "cairn-space-monitor");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Checks once now and then every second. */
  public void start() {
    timer.scheduleWithFixedDelay(this::check, 0, 1, TimeUnit.SECONDS);
  }

  /** Raises NOSPACE if the store is over its quota or a volume is below the reserve; true if it is active. */
  public boolean check() {
    long dbSize = dbSizeBytes.getAsLong();
    if (dbSize > quotaBytes) {
      alarms.raise(AlarmType.NOSPACE, "the database is " + dbSize + " bytes, over --quota-backend-bytes "
          + quotaBytes);
    }
    return refusesData();
  }

  /**
   * Whether new data must be refused now: NOSPACE is active, or is raised by this check because a
   * volume is below the reserve. Asked before every request that adds data (one statvfs per
   * volume), so a burst of large writes cannot outrun the timer into a full disk.
   */
  public boolean refusesData() {
    if (alarms.isActive(AlarmType.NOSPACE)) {
      return true;
    }
    for (Path dir : volumes) {
      long free = freeSpace.usableBytes(dir);
      if (free >= 0 && free < reserveBytes) {
        alarms.raise(AlarmType.NOSPACE, "only " + free + " bytes free on the volume of " + dir
            + ", below the reserve of " + reserveBytes + " bytes");
      }
    }
    return alarms.isActive(AlarmType.NOSPACE);
  }

  /** Stops the checks and waits for one in progress, so the store may be closed after this returns. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
