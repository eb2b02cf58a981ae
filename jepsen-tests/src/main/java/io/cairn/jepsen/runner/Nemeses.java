package io.cairn.jepsen.runner;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.nemesis.ClockNemesis;
import io.cairn.jepsen.nemesis.DelayNemesis;
import io.cairn.jepsen.nemesis.KillNemesis;
import io.cairn.jepsen.nemesis.LoseUnfsyncedNemesis;
import io.cairn.jepsen.nemesis.MemberNemesis;
import io.cairn.jepsen.nemesis.Nemesis;
import io.cairn.jepsen.nemesis.PartitionNemesis;
import io.cairn.jepsen.nemesis.PauseNemesis;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The nemeses by command-line name. */
public final class Nemeses {

  public static final List<String> NAMES = List.of("none", "partition", "kill", "pause", "clock", "delay", "lose-unfsynced", "member");

  private Nemeses() {}

  /** Checks the names without a cluster (so a typo fails before anything starts). */
  public static void validate(List<String> names) {
    for (String name : names) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown nemesis " + name + "; known: " + NAMES);
      }
    }
  }

  /** @param log the run's log (nemeses that act during heal record it there) */
  public static List<Nemesis> create(List<String> names, Cluster cluster, Consumer<String> log) {
    validate(names);
    List<Nemesis> nemeses = new ArrayList<>();
    for (String name : names) {
      switch (name) {
        case "partition" -> nemeses.add(new PartitionNemesis(cluster));
        case "kill" -> nemeses.add(new KillNemesis(cluster));
        case "pause" -> nemeses.add(new PauseNemesis(cluster));
        case "clock" -> nemeses.add(new ClockNemesis(cluster));
        case "delay" -> nemeses.add(new DelayNemesis(cluster));
        case "lose-unfsynced" -> nemeses.add(new LoseUnfsyncedNemesis(cluster));
        case "member" -> nemeses.add(new MemberNemesis(cluster, log));
        default -> { } // "none"
      }
    }
    return nemeses;
  }
}
