package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberProcess;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Crashes: kill -9 of the leader or a random member (sometimes a minority of two on five members),
 * restarted with the same flags when the fault heals. Without a power loss, data the member wrote
 * but did not fsync survives in the page cache; {@link LoseUnfsyncedNemesis} covers losing it.
 */
public final class KillNemesis implements Nemesis {

  private final Cluster cluster;

  public KillNemesis(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return "kill";
  }

  @Override
  public String inject(SplittableRandom random) {
    int first = Targets.leaderOrRandom(cluster, random);
    List<Integer> victims = List.of(first);
    if (cluster.size() >= 5 && random.nextBoolean()) {
      int second = Targets.shuffled(cluster.size(), random).stream().filter(i -> i != first).findFirst().orElseThrow();
      victims = List.of(first, second);
    }
    victims.forEach(i -> cluster.member(i).kill());
    return "kill -9 " + Targets.names(cluster, victims);
  }

  @Override
  public void heal() {
    cluster.members().forEach(MemberProcess::start);
  }
}
