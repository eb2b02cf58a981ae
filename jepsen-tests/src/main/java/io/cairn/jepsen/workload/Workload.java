package io.cairn.jepsen.workload;

import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.history.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the clients do during a run and how the result is judged. A workload records every operation
 * into the run's history; after the faults are healed and the cluster has recovered it takes its
 * final reads (recorded too) and checks the history.
 */
public interface Workload {

  String name();

  /** A new logical client with process id {@code process} that talks only to {@code member}. */
  WorkloadClient client(int process, EtcdConnection member, SplittableRandom random);

  /**
   * After the run: records final reads through the given members (one connection per member) with
   * process ids from {@code firstFreeProcess} on. Errors here are recorded like any operation's.
   */
  void finalReads(List<EtcdConnection> members, int firstFreeProcess) throws InterruptedException;

  /** Judges the complete history (including the final reads). */
  CheckReport check(History history);

  /**
   * After {@link #check}: writes the evidence the workload gathered besides the history (for example
   * watch streams) into the run's result directory. Most workloads have none.
   */
  default void writeEvidence(Path resultDir) throws IOException {}
}
