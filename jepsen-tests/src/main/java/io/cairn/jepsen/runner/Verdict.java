package io.cairn.jepsen.runner;

import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.nemesis.FaultInterval;
import io.cairn.jepsen.workload.CheckReport;
import java.util.List;
import java.util.Map;

/** Renders verdict.txt: the verdict first, then each anomaly's explanation, then what happened. */
final class Verdict {

  /** Anomalies listed in full; the rest are counted (the first ones explain the run). */
  private static final int MAX_ANOMALIES_SHOWN = 20;

  private Verdict() {}

  /**
   * @param firstFinalProcess the first process id of the final reads: operations of lower process ids
   *     are the clients' own, during the time limit
   */
  static String render(RunConfig config, boolean valid, CheckReport report, List<String> problems,
      List<FaultInterval> faults, long origin, List<Op> events, int firstFinalProcess, List<String> runLog) {
    StringBuilder out = new StringBuilder();
    out.append(valid ? "valid" : "invalid").append('\n');
    out.append("db ").append(config.db().name().toLowerCase(java.util.Locale.ROOT)).append(", ").append(config.nodes())
        .append(" nodes, workload ").append(config.workload()).append(", nemesis ")
        .append(config.nemeses().isEmpty() ? "none" : String.join(",", config.nemeses()))
        .append(", seed ").append(config.seed()).append(", time limit ").append(config.timeLimitSeconds()).append(" s")
        .append(config.plantedBug() == null ? "" : ", planted bug " + config.plantedBug())
        .append(config.fixedFaultPeriod() ? ", " + faultCadence(config) : "").append('\n');
    out.append("operations: ").append(OpCounts.of(events, e -> true)).append('\n');
    out.append("client operations (final reads left out): ")
        .append(OpCounts.of(events, e -> e.process() < firstFinalProcess)).append('\n');
    out.append("checker: ").append(report.summary()).append(report.valid() ? " -> valid" : " -> INVALID").append('\n');
    if (!report.anomalies().isEmpty()) {
      Map<String, Integer> kinds = new java.util.TreeMap<>();
      report.anomalies().forEach(a -> kinds.merge(a.split(":", 2)[0], 1, Integer::sum));
      out.append("  anomalies by kind: ").append(kinds).append('\n');
    }
    int shown = 0;
    for (String a : report.anomalies()) {
      if (shown++ == MAX_ANOMALIES_SHOWN) {
        out.append("  ... and ").append(report.anomalies().size() - MAX_ANOMALIES_SHOWN).append(" more anomalies\n");
        break;
      }
      out.append("  anomaly: ").append(a).append('\n');
    }
    out.append("final state: ").append(problems.isEmpty() ? "all members at the same revision and HashKV" : "PROBLEMS").append('\n');
    for (String p : problems) {
      out.append("  problem: ").append(p).append('\n');
    }
    out.append("faults (").append(faults.size()).append("):\n");
    for (FaultInterval f : faults) {
      out.append(String.format("  %7.2f-%7.2f s  %s: %s%n", (f.startNanos() - origin) / 1e9, (f.endNanos() - origin) / 1e9,
          f.nemesis(), f.description()));
    }
    out.append("log:\n");
    for (String line : runLog) {
      out.append("  ").append(line).append('\n');
    }
    return out.toString();
  }

  /** E.g. "fault every 5000 ms held 1000 ms". */
  private static String faultCadence(RunConfig config) {
    return "fault every " + config.faultPeriodMillis() + " ms held " + config.faultHoldMillis() + " ms";
  }
}
