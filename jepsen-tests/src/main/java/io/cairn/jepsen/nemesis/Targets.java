package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Picks the members a fault hits: the leader (when one is known) or a random member. */
final class Targets {

  private Targets() {}

  /** Half the time the current leader, else (or when there is none) a random member; 1-based. */
  static int leaderOrRandom(Cluster cluster, SplittableRandom random) {
    if (random.nextBoolean()) {
      var leader = cluster.leader();
      if (leader.isPresent()) {
        return leader.get();
      }
    }
    return 1 + random.nextInt(cluster.size());
  }

  /** Members 1..n in a random order. */
  static List<Integer> shuffled(int n, SplittableRandom random) {
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(i);
    }
    for (int i = all.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = all.get(i);
      all.set(i, all.get(j));
      all.set(j, t);
    }
    return all;
  }

  static String names(Cluster cluster, List<Integer> members) {
    return members.stream().map(i -> cluster.member(i).spec().name()).toList().toString();
  }
}
