package io.cairn.bench.compare;

import io.cairn.bench.report.BenchReport;
import io.cairn.bench.stats.SeriesSummary;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Median figures of the repeated runs of one scenario against one target. The median of an even
 * number of runs is the mean of the two middle ones. RSS and CPU are NaN when not sampled.
 */
public record Medians(int runs, double throughput, double p50Ms, double p90Ms, double p99Ms,
    double p999Ms, double peakRssMiB, double cpuCores, long errors) {

  public static Medians of(List<BenchReport> reports) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no runs to take the median of");
    }
    return new Medians(reports.size(),
        median(reports, r -> r.headline().throughput()),
        median(reports, r -> r.headline().p50Ms()),
        median(reports, r -> r.headline().p90Ms()),
        median(reports, r -> r.headline().p99Ms()),
        median(reports, r -> r.headline().p999Ms()),
        median(reports, r -> r.resources() == null ? Double.NaN : r.resources().peakRssMiB()),
        median(reports, r -> r.resources() == null ? Double.NaN : r.resources().cpuCores()),
        reports.stream().mapToLong(r -> r.series().stream().mapToLong(SeriesSummary::errors).sum())
            .sum());
  }

  static double median(List<BenchReport> reports, ToDoubleFunction<BenchReport> figure) {
    double[] values = reports.stream().mapToDouble(figure).sorted().toArray();
    return median(values);
  }

  /** Median of sorted values; NaN if any value is NaN. */
  public static double median(double[] sorted) {
    if (Arrays.stream(sorted).anyMatch(Double::isNaN)) {
      return Double.NaN;
    }
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
