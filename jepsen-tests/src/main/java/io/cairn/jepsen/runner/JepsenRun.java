package io.cairn.jepsen.runner;

import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.DataDirs;
import io.cairn.jepsen.cluster.MemberSpec;
import io.cairn.jepsen.cluster.ProjectLayout;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.HistoryJsonl;
import io.cairn.jepsen.history.HistoryRecorder;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.nemesis.FaultInterval;
import io.cairn.jepsen.nemesis.FaultPacing;
import io.cairn.jepsen.nemesis.FixedPeriodPacing;
import io.cairn.jepsen.nemesis.Nemesis;
import io.cairn.jepsen.nemesis.NemesisSchedule;
import io.cairn.jepsen.nemesis.QuietSpellPacing;
import io.cairn.jepsen.nemesis.ScheduleClock;
import io.cairn.jepsen.workload.CheckReport;
import io.cairn.jepsen.workload.Workload;
import io.cairn.jepsen.workload.WorkloadClient;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run, start to verdict: start the cluster, run the workload's clients and the nemesis schedule
 * for the time limit, heal everything, give the cluster time to recover, check that all members
 * converged (same revision and HashKV), take the workload's final reads, check the history, and
 * write history.jsonl, verdict.txt and timeline.png into the run's directory.
 */
public final class JepsenRun {

  /** Longest pause between two operations of one client (keeps a 2-core machine usable). */
  private static final int MAX_THINK_MILLIS = 10;
  /** How long members get to start (or restart) and elect a leader; generous, the machine may be loaded. */
  private static final long STARTUP_TIMEOUT_MILLIS = 180_000;
  /** How long the schedule waits for the cluster to serve again after each heal before the next quiet spell. */
  private static final long RECOVERY_WAIT_MILLIS = 30_000;
  /** Pause after an operation that did not complete OK, so a dead member is not hammered. */
  private static final int BACKOFF_MILLIS = 100;

  private final RunConfig config;
  private final Path resultDir;
  private final HistoryRecorder recorder = new HistoryRecorder();
  private final AtomicInteger nextProcess = new AtomicInteger();
  /** process id -> client slot (the timeline's lane). */
  private final Map<Integer, Integer> lanes = new ConcurrentHashMap<>();
  /** Timestamped lines of what the harness did (faults, phases), for the verdict. Guarded by this. */
  private final List<String> runLog = new ArrayList<>();
  /** {@link System#nanoTime()} at the start of the run: time zero of the log and the timeline. */
  private volatile long origin = System.nanoTime();

  public JepsenRun(RunConfig config) {
    this.config = config;
    String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    this.resultDir = config.resultsRoot().resolve(config.runName(timestamp));
  }

  public Path resultDir() {
    return resultDir;
  }

  /** Runs and checks; the result says whether the history was valid. */
  public RunResult run() throws IOException, InterruptedException {
    Files.createDirectories(resultDir);
    Path dataRoot = resultDir.resolve("data");
    origin = System.nanoTime();
    List<FaultInterval> faults = List.of();
    List<String> problems = new ArrayList<>();
    CheckReport report;
    List<Op> events;
    int firstFinalProcess;
    Workload workload = Workloads.create(config.workload(), recorder);
    boolean fakeClock = config.nemeses().contains("clock");
    boolean delayProxies = config.nemeses().contains("delay");
    try (Cluster cluster = Cluster.start(config.db(), config.nodes(), resultDir, dataRoot, fakeClock, delayProxies,
        config.plantedBug())) {
      cluster.awaitHealthy(STARTUP_TIMEOUT_MILLIS);
      log("cluster of " + config.nodes() + " " + config.db() + " members healthy, leader n" + cluster.leader().orElse(0)
          + "; source " + ProjectLayout.sourceVersion());
      List<EtcdConnection> connections = new ArrayList<>();
      for (int i = 1; i <= cluster.size(); i++) {
        connections.add(new EtcdConnection(cluster.member(i).spec().ip(), MemberSpec.CLIENT_PORT));
      }
      try {
        List<Nemesis> nemeses = Nemeses.create(config.nemeses(), cluster, this::log);
        long end = System.nanoTime() + config.timeLimitSeconds() * 1_000_000_000L;
        FaultPacing pacing = config.fixedFaultPeriod()
            ? new FixedPeriodPacing(ScheduleClock.SYSTEM, System.nanoTime(), config.faultPeriodMillis(), config.faultHoldMillis())
            : new QuietSpellPacing(ScheduleClock.SYSTEM, () -> {
              try {
                cluster.awaitHealthy(RECOVERY_WAIT_MILLIS);
              } catch (IllegalStateException notYet) {
                log("cluster not healthy " + RECOVERY_WAIT_MILLIS / 1000 + " s after a heal: " + notYet.getMessage());
              }
            });
        if (!nemeses.isEmpty()) {
          log("fault schedule: " + pacing.describe());
        }
        NemesisSchedule schedule = new NemesisSchedule(nemeses, config.seed(), end, this::log, pacing, ScheduleClock.SYSTEM);
        Thread nemesisThread = new Thread(schedule, "nemesis");
        SplittableRandom clientSeeds = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        List<Thread> clients = new ArrayList<>();
        for (int slot = 0; slot < config.concurrency(); slot++) {
          int s = slot;
          EtcdConnection member = connections.get(slot % connections.size());
          SplittableRandom random = clientSeeds.split();
          clients.add(new Thread(() -> runClients(workload, s, member, random, end), "client-" + slot));
        }
        nemesisThread.start();
        clients.forEach(Thread::start);
        for (Thread t : clients) {
          t.join();
        }
        nemesisThread.interrupt();
        nemesisThread.join();
        for (Nemesis n : nemeses) {
          n.heal();
        }
        faults = schedule.faults();
        firstFinalProcess = nextProcess.get();
        log("time limit reached, all faults healed; recovering for " + config.recoverySeconds() + " s");
        Thread.sleep(config.recoverySeconds() * 1000L);
        try {
          cluster.awaitHealthy(STARTUP_TIMEOUT_MILLIS);
          problems.addAll(FinalState.check(cluster));
          log("final reads");
          workload.finalReads(connections, firstFinalProcess);
        } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
          // A cluster that does not recover after every fault healed is itself a finding.
          problems.add("after healing: " + e.getMessage());
        }
        problems.addAll(FinalState.crashes(cluster));
        events = recorder.events();
        report = workload.check(History.of(events));
      } finally {
        connections.forEach(EtcdConnection::close);
      }
    }
    boolean valid = report.valid() && problems.isEmpty();
    try (Writer out = Files.newBufferedWriter(resultDir.resolve("history.jsonl"))) {
      HistoryJsonl.write(events, out);
    }
    workload.writeEvidence(resultDir);
    String verdict = Verdict.render(config, valid, report, problems, faults, origin, events, firstFinalProcess, runLog);
    Files.writeString(resultDir.resolve("verdict.txt"), verdict);
    TimelinePlot.write(resultDir.resolve("timeline.png"), History.of(events), lanes, faults, origin, config);
    if (valid) {
      DataDirs.deleteTree(dataRoot);
    }
    return new RunResult(valid, resultDir, verdict);
  }

  private void runClients(Workload workload, int slot, EtcdConnection member, SplittableRandom random, long end) {
    try {
      while (System.nanoTime() < end) {
        int process = nextProcess.getAndIncrement();
        lanes.put(process, slot);
        WorkloadClient client = workload.client(process, member, random.split());
        try {
          boolean alive = true;
          while (alive && System.nanoTime() < end) {
            alive = client.step();
            Thread.sleep(recorder.lastWasOk(process) ? random.nextInt(MAX_THINK_MILLIS + 1) : BACKOFF_MILLIS);
          }
        } finally {
          client.close();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void log(String line) {
    String stamped = String.format("%7.2f s  %s", (System.nanoTime() - origin) / 1e9, line);
    runLog.add(stamped);
    System.out.println("[jepsen] " + stamped);
  }

  /**
   * The outcome of a run.
   *
   * @param valid whether every check passed
   * @param resultDir where history, verdict, plot and logs are
   * @param verdict the verdict text
   */
  public record RunResult(boolean valid, Path resultDir, String verdict) {}
}
