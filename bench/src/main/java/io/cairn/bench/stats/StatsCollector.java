package io.cairn.bench.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * All series and counters of one benchmark run.
 *
 * <p>The runner records into the {@link #REQUESTS} series; scenarios may add their own series
 * (watch event latency, per-operation kinds of the kube mix) and named counters (for example
 * compare-and-swap conflicts). Series keep their creation order, which is the report order.
 */
public final class StatsCollector {
  /** The series every runner records each issued operation into. */
  public static final String REQUESTS = "requests";

  /** Series by name, in creation order; a series is never removed. */
  private final Map<String, LatencySeries> series = new java.util.LinkedHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  /** Series of the set-up phase (e.g. lease grants): kept by {@link #reset()}. */
  private final java.util.Set<String> setupSeries = ConcurrentHashMap.newKeySet();

  public StatsCollector() {
    series(REQUESTS);
  }

  /** The series with this name, created empty on first use. */
  public synchronized LatencySeries series(String name) {
    return series.computeIfAbsent(name, LatencySeries::new);
  }

  /** A series timed during {@link io.cairn.bench.run.Scenario#prepare}; survives the warm-up reset. */
  public synchronized LatencySeries setupSeries(String name) {
    setupSeries.add(name);
    return series(name);
  }

  public synchronized List<LatencySeries> allSeries() {
    return new ArrayList<>(series.values());
  }

  /** Forgets every sample, error and counter except set-up series: the warm-up phase is over. */
  public void reset() {
    for (LatencySeries s : allSeries()) {
      if (!setupSeries.contains(s.name())) {
        s.reset();
      }
    }
    counters.clear();
  }

  /** Adds one to a named counter. */
  public void increment(String counter) {
    counters.computeIfAbsent(counter, k -> new LongAdder()).increment();
  }

  public long counter(String counter) {
    LongAdder adder = counters.get(counter);
    return adder == null ? 0 : adder.sum();
  }

  /** Counters by name, sorted for stable output. */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Summaries of every series, the headline series first. */
  public List<SeriesSummary> summarize(String headline, double elapsedSeconds) {
    List<SeriesSummary> out = new ArrayList<>();
    LatencySeries first = series(headline);
    out.add(first.summarize(elapsedSeconds));
    for (LatencySeries s : allSeries()) {
      if (s != first) {
        out.add(s.summarize(elapsedSeconds));
      }
    }
    return out;
  }
}
