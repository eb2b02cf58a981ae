package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Slow links: the {@link io.cairn.jepsen.cluster.DelayProxy} in front of a random subset of members'
 * peer ports delays every byte by 100-1500 ms (the same delay both ways on that member's connections),
 * longer than the election timeout at the top end. Heal sets every delay back to zero. Needs the
 * cluster started with delay proxies (the runner does that when this nemesis is chosen).
 */
public final class DelayNemesis implements Nemesis {

  private static final long MIN_DELAY_MILLIS = 100;
  private static final long MAX_DELAY_MILLIS = 1500;

  private final Cluster cluster;

  public DelayNemesis(Cluster cluster) {
    if (!cluster.hasDelayProxies()) {
      throw new IllegalArgumentException("the delay nemesis needs a cluster started with delay proxies");
    }
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return "delay";
  }

  @Override
  public String inject(SplittableRandom random) {
    List<Integer> order = Targets.shuffled(cluster.size(), random);
    List<Integer> victims = order.subList(0, 1 + random.nextInt(cluster.size()));
    StringBuilder what = new StringBuilder("peer links delayed:");
    for (int i : victims) {
      long millis = MIN_DELAY_MILLIS + random.nextLong(MAX_DELAY_MILLIS - MIN_DELAY_MILLIS + 1);
      cluster.setPeerDelay(i, millis);
      what.append(' ').append(cluster.member(i).spec().name()).append(' ').append(millis).append(" ms");
    }
    return what.toString();
  }

  @Override
  public void heal() {
    for (int i = 1; i <= cluster.size(); i++) {
      cluster.setPeerDelay(i, 0);
    }
  }
}
