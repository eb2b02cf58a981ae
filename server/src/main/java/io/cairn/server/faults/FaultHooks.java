package io.cairn.server.faults;

import io.cairn.storage.wal.Wal;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points where a fault-injection build may make a member misbehave on purpose, so that the
 * Jepsen-style suite can prove it catches each kind of bug. Every default is the correct behaviour,
 * and {@link #NONE} is what a member runs with: the shipped jar holds only this interface, no
 * implementation and no service registration, so a production member cannot switch a bug on.
 *
 * <p>An implementation lives outside the shipped jar (module server-faults) and is found by {@link
 * #discover()} through {@link ServiceLoader} once, when the server starts, then handed to the
 * components that consult it at their construction.
 */
public interface FaultHooks {
  /** The correct behaviour everywhere. */
  FaultHooks NONE = new FaultHooks() {};

  /** Whether a member that is not the leader skips the fsync of a persist it must sync. */
  default boolean skipFollowerFsync() {
    return false;
  }

  /** Called after every persist of raft entries or hard state to {@code wal}. */
  default void afterPersist(Wal wal) {}

  /** Whether a follower serves linearizable reads from its own state, without a ReadIndex round. */
  default boolean serveFollowerReadsLocally() {
    return false;
  }

  /** How long the leader's clock runs for a lease granted with a TTL of {@code ttlNanos}. */
  default long leaseClockNanos(long ttlNanos) {
    return ttlNanos;
  }

  /** Whether a watch stream drops its events response number {@code sequence} (counted from 1). */
  default boolean dropWatchEventsResponse(long sequence) {
    return false;
  }

  /**
   * The implementation registered as a {@code META-INF/services/io.cairn.server.faults.FaultHooks}
   * provider on the class path, or {@link #NONE} when there is none (always, with the shipped jar).
   * A found one is logged loudly: such a member is not fit for real data.
   *
   * @throws IllegalStateException if more than one is registered
   */
  static FaultHooks discover() {
    List<FaultHooks> found = ServiceLoader.load(FaultHooks.class).stream().map(ServiceLoader.Provider::get).toList();
    if (found.size() > 1) {
      throw new IllegalStateException("more than one FaultHooks implementation on the class path: " + found);
    }
    if (found.isEmpty()) {
      return NONE;
    }
    Logger log = LoggerFactory.getLogger(FaultHooks.class);
    log.warn("fault hooks {} are on the class path: this member may break its guarantees on purpose (tests only)",
        found.get(0));
    return found.get(0);
  }
}
