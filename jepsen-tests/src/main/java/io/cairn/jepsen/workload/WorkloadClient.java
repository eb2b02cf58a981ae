package io.cairn.jepsen.workload;

/**
 * One logical client (one process id): performs one operation at a time, recording its invocation and
 * completion, and never retries.
 */
public interface WorkloadClient {

  /**
   * Performs one operation.
   *
   * @return false when the operation ended indeterminate: the client is retired and the runner
   *     continues with a new process id, so a process never has two operations in doubt
   */
  boolean step() throws InterruptedException;

  /** Releases what the client holds (streams). */
  default void close() {}
}
