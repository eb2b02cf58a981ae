package io.cairn.bench.run;

import io.cairn.bench.stats.StatsCollector;

/**
 * One benchmark workload (put, range, watch...). The runner decides when and how often to issue
 * operations; the scenario only knows how to issue one.
 *
 * <p>Each logical client has at most one operation outstanding, so a scenario may keep per-client
 * state indexed by the client number without locking against that client's own operations.
 */
public interface Scenario extends AutoCloseable {
  /** Short name used in reports, e.g. "put". */
  String name();

  /**
   * Runs before the clock starts: populate keys, open watch streams, grant leases. Failures abort
   * the benchmark.
   */
  default void prepare(StatsCollector stats) throws Exception {}

  /**
   * Starts one asynchronous operation for logical client {@code client} (0-based) and returns
   * without waiting for it; {@code done} is called when it ends.
   */
  void issue(int client, Completion done);

  /**
   * Called after the last operation completed: wait for trailing effects (watch events) before the
   * figures are taken. Bounded by the request timeout.
   */
  default void drain() throws InterruptedException {}

  /** The series that best describes this workload; printed first and used by the comparison. */
  default String headlineSeries() {
    return StatsCollector.REQUESTS;
  }

  /** Releases streams and leases. Must not throw for a scenario that was never prepared. */
  @Override
  default void close() {}
}
