package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberProcess;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Process pauses (SIGSTOP, then SIGCONT on heal) of the leader or a random member: a long GC pause or
 * a stalled VM. A paused leader wakes up believing it still leads, which is exactly when stale reads
 * and lost updates happen in a store that trusts leases or local state.
 */
public final class PauseNemesis implements Nemesis {

  private final Cluster cluster;

  public PauseNemesis(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return "pause";
  }

  @Override
  public String inject(SplittableRandom random) {
    int victim = Targets.leaderOrRandom(cluster, random);
    cluster.member(victim).pause();
    return "SIGSTOP " + Targets.names(cluster, List.of(victim));
  }

  @Override
  public void heal() {
    cluster.members().forEach(MemberProcess::resume);
  }
}
