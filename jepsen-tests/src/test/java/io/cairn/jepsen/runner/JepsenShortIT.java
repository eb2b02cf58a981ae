package io.cairn.jepsen.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.jepsen.cluster.DbKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short fault-injection suite ({@code -Pjepsen-short}, about four minutes): real etcd passes a
 * register run under partitions and crashes and a lock run under pauses; Cairn passes a register run
 * under partitions, crashes and clock bumps, an append run under crashes, pauses and membership
 * changes, and a lock run under pauses and partitions; and Cairn with the planted follower-local-reads
 * bug is caught. Needs root (network
 * namespaces, iptables), /usr/bin/etcd and the server jar; results go to target/jepsen-results.
 * Each run prints its seed and result directory; rerun one with jepsen-tests/run and the same flags.
 */
class JepsenShortIT {

  private static final Path RESULTS = Path.of("target", "jepsen-results");
  private static final int TIME_LIMIT_SECONDS = 15;
  private static final int RECOVERY_SECONDS = 3;

  private static JepsenRun.RunResult run(DbKind db, String workload, List<String> nemeses, long seed, String bug) throws Exception {
    RunConfig config = new RunConfig(db, 3, workload, nemeses, 0, 0, TIME_LIMIT_SECONDS, seed, 6, RECOVERY_SECONDS, RESULTS, bug);
    JepsenRun.RunResult result = new JepsenRun(config).run();
    System.out.println("seed " + seed + " -> " + result.resultDir() + "\n" + result.verdict());
    return result;
  }

  @Test
  void etcdRegisterUnderPartitionsAndKillsIsValid() throws Exception {
    JepsenRun.RunResult r = run(DbKind.ETCD, "register", List.of("partition", "kill"), 7, null);
    assertTrue(r.valid(), r.verdict());
  }

  @Test
  void cairnRegisterUnderPartitionsKillsAndClockBumpsIsValid() throws Exception {
    // Seed 7 schedules partition, then clock, then kill.
    JepsenRun.RunResult r = run(DbKind.CAIRN, "register", List.of("partition", "kill", "clock"), 7, null);
    assertTrue(r.valid(), r.verdict());
  }

  @Test
  void cairnAppendUnderKillsPausesAndMembershipChangesIsValid() throws Exception {
    // Seed 6 schedules member, then pause, then kill: the first faults are the ones a short run sees.
    JepsenRun.RunResult r = run(DbKind.CAIRN, "append", List.of("kill", "pause", "member"), 6, null);
    assertTrue(r.valid(), r.verdict());
  }

  @Test
  void etcdLockUnderPausesIsValid() throws Exception {
    JepsenRun.RunResult r = run(DbKind.ETCD, "lock", List.of("pause"), 1, null);
    assertTrue(r.valid(), r.verdict());
  }

  @Test
  void cairnLockUnderPausesAndPartitionsIsValid() throws Exception {
    JepsenRun.RunResult r = run(DbKind.CAIRN, "lock", List.of("pause", "partition"), 1, null);
    assertTrue(r.valid(), r.verdict());
  }

  @Test
  void plantedFollowerLocalReadsIsCaught() throws Exception {
    JepsenRun.RunResult r = run(DbKind.CAIRN, "register", List.of("partition"), 2, "follower-local-reads");
    assertFalse(r.valid(), "the planted bug went unnoticed:\n" + r.verdict());
    assertTrue(r.verdict().contains("not linearizable"), r.verdict());
  }
}
