package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NetworkLab;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Network partitions between members by iptables DROP rules inside their namespaces (clients are
 * never cut off: they reach every member from the host). Each fault is one of:
 * <ul>
 *   <li>isolate the leader from every other member;
 *   <li>random halves: a random minority cut from the majority;
 *   <li>majorities ring: every member still sees a majority, but no two see the same one (on 3
 *       members: one link cut, the "bridge");
 *   <li>one-way: a member (the leader or a random one) receives nothing from the others but its own
 *       packets still reach them.
 * </ul>
 */
public final class PartitionNemesis implements Nemesis {

  private final Cluster cluster;
  private final NetworkLab network;

  public PartitionNemesis(Cluster cluster) {
    this.cluster = cluster;
    this.network = cluster.network();
  }

  @Override
  public String name() {
    return "partition";
  }

  @Override
  public String inject(SplittableRandom random) {
    int n = cluster.size();
    switch (random.nextInt(4)) {
      case 0 -> {
        int leader = cluster.leader().orElse(1 + random.nextInt(n));
        List<Integer> rest = others(n, List.of(leader));
        cut(List.of(leader), rest);
        return "isolate leader " + Targets.names(cluster, List.of(leader));
      }
      case 1 -> {
        List<Integer> order = Targets.shuffled(n, random);
        List<Integer> minority = order.subList(0, n / 2);
        cut(minority, order.subList(n / 2, n));
        return "halves: minority " + Targets.names(cluster, minority) + " | majority " + Targets.names(cluster, order.subList(n / 2, n));
      }
      case 2 -> {
        List<Integer> ring = Targets.shuffled(n, random);
        List<String> cutLinks = new ArrayList<>();
        if (n == 3) {
          cutBoth(ring.get(0), ring.get(1));
          cutLinks.add(Targets.names(cluster, List.of(ring.get(0), ring.get(1))));
        } else {
          int reach = (n / 2) / 2; // each member keeps its neighbours up to this ring distance each side
          for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
              int distance = Math.min(b - a, n - (b - a));
              if (distance > reach) {
                cutBoth(ring.get(a), ring.get(b));
                cutLinks.add(Targets.names(cluster, List.of(ring.get(a), ring.get(b))));
              }
            }
          }
        }
        return "majorities ring " + Targets.names(cluster, ring) + ", links cut " + cutLinks;
      }
      default -> {
        int deaf = Targets.leaderOrRandom(cluster, random);
        for (int other : others(n, List.of(deaf))) {
          network.dropFrom(deaf, other);
        }
        return "one-way: " + Targets.names(cluster, List.of(deaf)) + " receives nothing from the others";
      }
    }
  }

  private static List<Integer> others(int n, List<Integer> excluded) {
    List<Integer> rest = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (!excluded.contains(i)) {
        rest.add(i);
      }
    }
    return rest;
  }

  private void cut(List<Integer> side, List<Integer> otherSide) {
    for (int a : side) {
      for (int b : otherSide) {
        cutBoth(a, b);
      }
    }
  }

  private void cutBoth(int a, int b) {
    network.dropFrom(a, b);
    network.dropFrom(b, a);
  }

  @Override
  public void heal() {
    network.heal();
  }
}
