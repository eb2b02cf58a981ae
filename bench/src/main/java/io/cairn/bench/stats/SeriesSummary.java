package io.cairn.bench.stats;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures reported for one series: throughput and latency percentiles in milliseconds.
 *
 * <p>A plain record so that it serialises to and from the {@code --json} summary unchanged.
 * {@code throughput} counts successful operations per second of the measured phase.
 */
public record SeriesSummary(
    String name,
    long ok,
    long errors,
    double seconds,
    double throughput,
    double avgMs,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    Map<String, Long> errorsByKey) {

  private static final double MICROS_PER_MILLI = 1000.0;

  /** Computes the summary of a histogram of microsecond latencies. */
  public static SeriesSummary of(
      String name, Histogram micros, Map<String, Long> errorsByKey, double seconds) {
    long ok = micros.getTotalCount();
    long errors = errorsByKey.values().stream().mapToLong(Long::longValue).sum();
    boolean empty = ok == 0;
    return new SeriesSummary(
        name,
        ok,
        errors,
        seconds,
        seconds > 0 ? ok / seconds : 0,
        empty ? 0 : micros.getMean() / MICROS_PER_MILLI,
        percentileMs(micros, 50),
        percentileMs(micros, 90),
        percentileMs(micros, 99),
        percentileMs(micros, 99.9),
        empty ? 0 : micros.getMaxValue() / MICROS_PER_MILLI,
        Map.copyOf(errorsByKey));
  }

  private static double percentileMs(Histogram micros, double percentile) {
    if (micros.getTotalCount() == 0) {
      return 0;
    }
    return micros.getValueAtPercentile(percentile) / MICROS_PER_MILLI;
  }
}
