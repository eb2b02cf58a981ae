package io.cairn.jepsen.workload;

import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.HistoryRecorder;
import io.cairn.jepsen.lock.LockCheckResult;
import io.cairn.jepsen.lock.LockChecker;
import io.cairn.jepsen.lock.ResourceVersion;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code lock} workload (fencing by revision): clients take one lock the way etcd's concurrency
 * Mutex (and {@code etcdctl lock}) does, on leases of {@value #TTL_SECONDS} s kept alive while they
 * wait or hold, and while holding it write a shared resource key with Txns fenced by their lock key's
 * create_revision. Faults make holders lose their leases, and so their locks, without knowing; their
 * fenced writes must then be refused. After the run the resource's history is read back with the lock
 * keys at each version's revision, and {@link LockChecker} judges it against the clients' history.
 */
public final class LockWorkload implements Workload {

  static final String PREFIX = "jepsen/lock/";
  /** The lock's prefix: every waiter's and the holder's key is under it. */
  static final String LOCK_PREFIX = PREFIX + "lock/";
  /** The shared resource the lock protects. */
  static final String RESOURCE = PREFIX + "resource";
  static final long TTL_SECONDS = 4;
  /**
   * TEST ONLY: with this environment variable set to {@code 1} for the runner, a holder that stalled
   * past its TTL writes without the fence, so the run must be found invalid (UNFENCED_WRITE): an
   * end-to-end calibration of the workload, the read-back and the checker.
   */
  static final String UNFENCED_ENV = "CAIRN_JEPSEN_LOCK_UNFENCED";

  private final HistoryRecorder recorder;
  /** Write ids, unique across the run. */
  private final AtomicLong nextWriteId = new AtomicLong(1);
  /** Sends every client's keep-alives (one thread: requests on one stream are never sent concurrently). */
  private final ScheduledExecutorService keepAlives = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lock-keep-alive");
    t.setDaemon(true);
    return t;
  });
  /** The resource's history, read after the run; null until then. */
  private volatile List<ResourceVersion> resourceHistory;
  private final boolean unfencedAfterStall = "1".equals(System.getenv(UNFENCED_ENV));

  public LockWorkload(HistoryRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public String name() {
    return "lock";
  }

  @Override
  public WorkloadClient client(int process, EtcdConnection member, SplittableRandom random) {
    return new LockClient(process, member, random, recorder, keepAlives, nextWriteId, unfencedAfterStall);
  }

  @Override
  public void finalReads(List<EtcdConnection> members, int firstFreeProcess) {
    keepAlives.shutdownNow();
    resourceHistory = ResourceReadBack.read(members.get(0), RESOURCE, LOCK_PREFIX);
  }

  @Override
  public CheckReport check(History history) {
    List<ResourceVersion> versions = resourceHistory;
    if (versions == null) {
      return CheckReport.of("lock: not checked", List.of("the resource's history could not be read back after the run"));
    }
    LockCheckResult result = new LockChecker().check(history, versions);
    String bug = unfencedAfterStall ? " (TEST ONLY " + UNFENCED_ENV + "=1: stalled holders wrote without the fence)" : "";
    return CheckReport.of(result.summary() + bug, result.anomalies().stream().map(Object::toString).toList());
  }
}
