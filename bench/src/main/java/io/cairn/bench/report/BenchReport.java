package io.cairn.bench.report;

import io.cairn.bench.stats.SeriesSummary;
import java.util.List;
import java.util.Map;

/**
 * Everything one run produced: what was run against what, the series (headline first), named
 * counters, and the sampled server resources ({@code null} when no pid was sampled). Serialised
 * as the {@code --json} summary and read back by the comparison report.
 */
public record BenchReport(
    String scenario,
    String endpoints,
    int clients,
    int conns,
    double rateLimit,
    long seed,
    double seconds,
    List<SeriesSummary> series,
    Map<String, Long> counters,
    ResourceUsage resources) {

  /** The headline series: the first one. */
  public SeriesSummary headline() {
    return series.get(0);
  }
}
