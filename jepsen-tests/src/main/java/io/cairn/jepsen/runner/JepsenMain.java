package io.cairn.jepsen.runner;

import io.cairn.jepsen.cluster.DbKind;
import io.cairn.jepsen.cluster.ProjectLayout;
import io.cairn.jepsen.history.HistoryRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jepsen-tests/run}: one fault-injection run against a fresh cluster. Exit code 0 when the
 * history is valid, 1 when it is not, 2 when the run itself could not be carried out.
 */
@Command(name = "jepsen-tests/run", mixinStandardHelpOptions = true, exitCodeOnExecutionException = 2,
    description = "Runs a workload against a fresh Cairn or etcd cluster under faults and checks the history.")
public final class JepsenMain implements Callable<Integer> {

  @Option(names = "--time-limit", defaultValue = "60", description = "Seconds of workload and faults (default ${DEFAULT-VALUE}).")
  int timeLimit;

  @Option(names = "--nemesis", split = ",", defaultValue = "none",
      description = "Comma-separated faults: none, partition, kill, pause, clock, delay, lose-unfsynced, member.")
  List<String> nemeses = new ArrayList<>();

  @Option(names = "--fault-period", defaultValue = "0",
      description = "Seconds between two faults' injections, a fixed cadence with no wait for recovery;"
          + " 0 (default): random quiet spells of 1-3 s and holds of 2-6 s, recovery waited for after each heal.")
  double faultPeriod;

  @Option(names = "--fault-hold", defaultValue = "1",
      description = "With --fault-period: seconds each fault lasts before it is healed (for kill: how long the"
          + " member stays down before it is restarted); less than the period (default ${DEFAULT-VALUE}).")
  double faultHold;

  @Option(names = "--workload", defaultValue = "register", description = "register, append, watch, lease or lock.")
  String workload;

  @Option(names = "--seed", defaultValue = "1", description = "Seeds the fault schedule and the clients' choices.")
  long seed;

  @Option(names = "--db", defaultValue = "cairn", description = "cairn or etcd.")
  String db;

  @Option(names = "--nodes", defaultValue = "3", description = "Cluster size (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--concurrency", defaultValue = "6", description = "Logical clients at a time (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--recovery", defaultValue = "5", description = "Seconds of recovery after healing (default ${DEFAULT-VALUE}).")
  int recovery;

  @Option(names = "--planted-bug", description = "TEST ONLY: CAIRN_TEST_PLANTED_BUG for the Cairn members"
      + " (follower-local-reads, ack-before-fsync, lease-early-expiry, watch-drop-events).")
  String plantedBug;

  @Option(names = "--results", description = "Results directory (default <project>/jepsen-tests/results).")
  Path results;

  public static void main(String[] args) {
    System.exit(new CommandLine(new JepsenMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> faults = nemeses.stream().filter(n -> !n.equals("none")).toList();
    Nemeses.validate(nemeses);
    Workloads.create(workload, new HistoryRecorder()); // fails on an unknown name before anything starts
    DbKind kind = DbKind.valueOf(db.toUpperCase(java.util.Locale.ROOT));
    Path root = results != null ? results : ProjectLayout.root().resolve("jepsen-tests").resolve("results");
    RunConfig config = new RunConfig(kind, nodes, workload, faults, Math.round(faultPeriod * 1000),
        Math.round(faultHold * 1000), timeLimit, seed, concurrency, recovery, root, plantedBug);
    JepsenRun run = new JepsenRun(config);
    JepsenRun.RunResult result = run.run();
    System.out.println(result.verdict());
    System.out.println("results: " + result.resultDir());
    return result.valid() ? 0 : 1;
  }
}
