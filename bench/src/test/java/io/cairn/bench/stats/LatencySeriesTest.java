package io.cairn.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencySeriesTest {
  /** HdrHistogram with 3 significant digits reports a value within 0.1% above the true one. */
  private static final double RELATIVE_PRECISION = 0.001;

  @Test
  void percentilesMatchNearestRankOfTheRecordedValues() {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int n = 1 + random.nextInt(20_000);
      long[] micros = new long[n];
      LatencySeries series = new LatencySeries("requests");
      for (int i = 0; i < n; i++) {
        // Log-uniform from 10 µs to 10 s: latencies span orders of magnitude.
        micros[i] = (long) Math.pow(10, 1 + random.nextDouble() * 6);
        series.recordSuccess(TimeUnit.MICROSECONDS.toNanos(micros[i]));
      }
      Arrays.sort(micros);
      SeriesSummary s = series.summarize(2.0);
      String context = "seed " + seed + ", n " + n;
      assertEquals(n, s.ok(), context);
      assertClose(nearestRank(micros, 50), s.p50Ms(), context + " p50");
      assertClose(nearestRank(micros, 90), s.p90Ms(), context + " p90");
      assertClose(nearestRank(micros, 99), s.p99Ms(), context + " p99");
      assertClose(nearestRank(micros, 99.9), s.p999Ms(), context + " p99.9");
      assertClose(micros[n - 1], s.maxMs(), context + " max");
      double mean = Arrays.stream(micros).average().orElseThrow();
      assertEquals(mean / 1000.0, s.avgMs(), mean / 1000.0 * RELATIVE_PRECISION, context + " avg");
      assertEquals(n / 2.0, s.throughput(), 1e-9, context + " throughput");
    }
  }

  /** The smallest recorded value such that at least p% of values are at or below it. */
  private static long nearestRank(long[] sorted, double percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static void assertClose(long expectedMicros, double actualMs, String what) {
    double expectedMs = expectedMicros / 1000.0;
    assertTrue(actualMs >= expectedMs * (1 - RELATIVE_PRECISION) - 0.001
            && actualMs <= expectedMs * (1 + RELATIVE_PRECISION) + 0.001,
        what + ": expected ~" + expectedMs + " ms, got " + actualMs);
  }

  @Test
  void intervalsAddUpToTheTotal() {
    LatencySeries series = new LatencySeries("s");
    SplittableRandom random = new SplittableRandom(7);
    long recorded = 0;
    long drained = 0;
    for (int round = 0; round < 10; round++) {
      int k = random.nextInt(1000);
      for (int i = 0; i < k; i++) {
        series.recordSuccess(1_000 + random.nextInt(1_000_000));
      }
      recorded += k;
      drained += series.takeInterval().getTotalCount();
    }
    assertEquals(recorded, drained);
    assertEquals(recorded, series.totalSoFar().getTotalCount());
  }

  @Test
  void errorsAreGroupedByStatusCodeAndEtcdMessage() {
    LatencySeries series = new LatencySeries("s");
    Status compacted = Status.OUT_OF_RANGE.withDescription(
        "etcdserver: mvcc: required revision has been compacted");
    series.recordError(compacted.asRuntimeException());
    series.recordError(compacted.asRuntimeException());
    series.recordError(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 1.0s")
        .asRuntimeException());
    series.recordError(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 2.5s")
        .asRuntimeException());
    series.recordError(Status.UNAVAILABLE.asRuntimeException());
    Map<String, Long> errors = series.errorsByKey();
    assertEquals(2L, errors.get("OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted"));
    assertEquals(2L, errors.get(LatencySeries.errorKey(Status.DEADLINE_EXCEEDED)));
    assertEquals(1L, errors.get("UNAVAILABLE"));
    assertEquals(3, errors.size());
    assertEquals(5, series.errorCount());
    assertEquals(5, series.summarize(1).errors());
    assertEquals(0, series.summarize(1).ok());
  }

  @Test
  void emptySeriesSummarisesToZeros() {
    SeriesSummary s = new LatencySeries("empty").summarize(0);
    assertEquals(0, s.ok());
    assertEquals(0, s.throughput());
    assertEquals(0, s.p99Ms());
  }

  @Test
  void negativeLatencyIsABug() {
    assertThrows(IllegalStateException.class, () -> new LatencySeries("s").recordSuccess(-1));
  }

  @Test
  void headlineSeriesComesFirst() {
    StatsCollector stats = new StatsCollector();
    stats.series("watch-events").recordSuccess(5_000);
    stats.increment("conflicts");
    stats.increment("conflicts");
    var summaries = stats.summarize("watch-events", 1);
    assertEquals("watch-events", summaries.get(0).name());
    assertEquals(StatsCollector.REQUESTS, summaries.get(1).name());
    assertEquals(2, stats.counter("conflicts"));
    assertEquals(Map.of("conflicts", 2L), stats.counters());
  }

  @Test
  void warmUpResetKeepsOnlySetUpSeries() {
    StatsCollector stats = new StatsCollector();
    stats.setupSeries("lease-grant").recordSuccess(1_000);
    stats.series(StatsCollector.REQUESTS).recordSuccess(2_000);
    stats.series(StatsCollector.REQUESTS).recordError("UNAVAILABLE");
    stats.increment("conflicts");
    stats.reset();
    assertEquals(1, stats.series("lease-grant").summarize(1).ok());
    assertEquals(0, stats.series(StatsCollector.REQUESTS).summarize(1).ok());
    assertEquals(0, stats.series(StatsCollector.REQUESTS).errorCount());
    assertEquals(0, stats.counter("conflicts"));
  }
}
