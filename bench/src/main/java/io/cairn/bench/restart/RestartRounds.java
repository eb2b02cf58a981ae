package io.cairn.bench.restart;

import io.cairn.api.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The restart scenario for one server: start a cluster, then {@code restarts} times kill -9 a
 * follower, keep it down for {@code downTime}, execute it again and time exec → first linearizable
 * Range it answers; first with the cluster idle, then with the bench's put load on the other
 * members. Between rounds the cluster settles for {@code settleTime}.
 */
public final class RestartRounds {
  /** How the rounds are run; the same for every target of a comparison. */
  public record Plan(int members, int restarts, Duration downTime, Duration settleTime,
      Duration servingLimit, boolean idle, boolean loaded, int loadClients, int loadConns,
      double loadRate, int valueSize, int basePort, List<String> serverFlags) {}

  private final Plan plan;
  private final PrintStream progress;

  public RestartRounds(Plan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /** Runs every round against a fresh cluster of {@code command}, data under {@code workDir}. */
  public List<RestartSample> run(String target, List<String> command, Path workDir) throws Exception {
    List<RestartSample> samples = new ArrayList<>();
    try (LocalCluster cluster = new LocalCluster(target, command, plan.members(), plan.basePort(),
        workDir, plan.serverFlags())) {
      cluster.startAll();
      for (int i = 1; i <= plan.members(); i++) {
        awaitServing(cluster, i, Duration.ofSeconds(60));
      }
      settle(cluster);
      if (plan.idle()) {
        for (int r = 1; r <= plan.restarts(); r++) {
          samples.add(round(cluster, r, false));
        }
      }
      if (plan.loaded()) {
        int victim = follower(cluster);
        try (BackgroundLoad load = new BackgroundLoad(cluster.clientsExcept(victim), plan.loadClients(),
            plan.loadConns(), plan.loadRate(), plan.valueSize())) {
          settle(cluster);
          for (int r = 1; r <= plan.restarts(); r++) {
            samples.add(round(cluster, r, true, victim, load));
          }
        }
      }
    }
    return samples;
  }

  private RestartSample round(LocalCluster cluster, int round, boolean loaded) throws Exception {
    return round(cluster, round, loaded, follower(cluster), null);
  }

  private RestartSample round(LocalCluster cluster, int round, boolean loaded, int victim,
      BackgroundLoad load) throws Exception {
    progress.printf("restart: %s, %s, round %d/%d: kill -9 member %d%n", cluster.name(),
        loaded ? "under load" : "idle", round, plan.restarts(), victim);
    cluster.kill(victim);
    Thread.sleep(plan.downTime().toMillis());
    long exec = cluster.start(victim);
    double millis;
    try {
      millis = (awaitServing(cluster, victim, plan.servingLimit()) - exec) / 1e6;
    } catch (IllegalStateException notServing) {
      // Counted as infinitely slow (it weighs on the median as it should), and waited out before
      // the next round so that rounds do not pile up on a member that is still catching up.
      progress.printf("restart: %s: %s%n", cluster.name(), notServing.getMessage());
      millis = Double.POSITIVE_INFINITY;
      awaitServing(cluster, victim, Duration.ofSeconds(120));
    }
    StartBreakdown breakdown = awaitBreakdown(cluster.log(victim));
    double puts = load == null ? 0 : load.throughput();
    progress.printf("restart: %s serves a linearizable read %.0f ms after exec%s%n", cluster.name(),
        millis, breakdown == null ? "" : "; " + breakdown.millisSinceExec() + " " + breakdown.detail());
    settle(cluster);
    return new RestartSample(cluster.name(), loaded, millis, breakdown, puts);
  }

  private long awaitServing(LocalCluster cluster, int member, Duration limit) throws Exception {
    try (ServingProbe probe = new ServingProbe(cluster.client(member))) {
      return probe.awaitServing(limit);
    }
  }

  /**
   * The breakdown line a Cairn member logs right after it caught up; it may land a moment after
   * the probe's read was answered. etcd logs none: null after a short wait.
   */
  private static StartBreakdown awaitBreakdown(Path log) throws IOException, InterruptedException {
    for (int i = 0; i < 20; i++) {
      StartBreakdown b = StartBreakdown.find(log);
      if (b != null) {
        return b;
      }
      Thread.sleep(50);
    }
    return null;
  }

  /** Waits {@code settleTime} and checks that no member died meanwhile. */
  private void settle(LocalCluster cluster) throws InterruptedException {
    Thread.sleep(plan.settleTime().toMillis());
    if (!cluster.exited().isEmpty()) {
      throw new IllegalStateException(cluster.name() + " member(s) " + cluster.exited()
          + " exited; see the logs in the work directory");
    }
  }

  /** A member that answers Status and is not the leader (the one restarted). */
  private static int follower(LocalCluster cluster) throws InterruptedException {
    for (int i = cluster.members(); i >= 1; i--) {
      try (ServingProbe probe = new ServingProbe(cluster.client(i))) {
        StatusResponse s = probe.status();
        if (s != null && s.getLeader() != 0 && s.getLeader() != s.getHeader().getMemberId()) {
          return i;
        }
      }
    }
    throw new IllegalStateException(cluster.name() + ": no member reports itself a follower of a leader");
  }
}
