package io.cairn.jepsen.runner;

import io.cairn.jepsen.cluster.DbKind;
import io.cairn.jepsen.nemesis.FixedPeriodPacing;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one run depends on.
 *
 * @param db the database under test
 * @param nodes cluster size (3 or 5)
 * @param workload workload name
 * @param nemeses nemesis names (empty: no faults)
 * @param faultPeriodMillis 0: the default schedule (random quiet spells and holds, recovery waited
 *     for); otherwise a fault every this many milliseconds, held {@code faultHoldMillis}
 * @param faultHoldMillis how long each fault of the fixed cadence is held (ignored when the period is 0)
 * @param timeLimitSeconds how long clients and faults run
 * @param seed seeds the fault schedule and the clients' choices
 * @param concurrency logical clients at a time, spread over the members
 * @param recoverySeconds after healing, how long the cluster gets before the final reads
 * @param resultsRoot the directory the run's result directory is created in
 * @param plantedBug CAIRN_TEST_PLANTED_BUG for Cairn members, or null
 */
public record RunConfig(
    DbKind db,
    int nodes,
    String workload,
    List<String> nemeses,
    long faultPeriodMillis,
    long faultHoldMillis,
    int timeLimitSeconds,
    long seed,
    int concurrency,
    int recoverySeconds,
    Path resultsRoot,
    String plantedBug) {

  public RunConfig {
    nemeses = List.copyOf(nemeses);
    if (nodes < 1 || timeLimitSeconds < 1 || concurrency < 1 || recoverySeconds < 0) {
      throw new IllegalArgumentException("nodes, time limit and concurrency must be positive, recovery non-negative");
    }
    if (faultPeriodMillis != 0) {
      FixedPeriodPacing.requireValidTiming(faultPeriodMillis, faultHoldMillis);
    }
  }

  /** Whether faults come at a fixed cadence rather than on the default random schedule. */
  public boolean fixedFaultPeriod() {
    return faultPeriodMillis > 0;
  }

  /**
   * The run directory's name: {@code <timestamp>-<db>-<workload>-<nemeses>-<seed>}, then {@code
   * -every<period>ms} for a fixed fault cadence and {@code -bug-<name>} for a planted bug.
   */
  public String runName(String timestamp) {
    String faults = nemeses.isEmpty() ? "none" : String.join("+", nemeses);
    return timestamp + "-" + db.name().toLowerCase(java.util.Locale.ROOT) + "-" + workload + "-" + faults + "-" + seed
        + (fixedFaultPeriod() ? "-every" + faultPeriodMillis + "ms" : "")
        + (plantedBug == null ? "" : "-bug-" + plantedBug);
  }
}
