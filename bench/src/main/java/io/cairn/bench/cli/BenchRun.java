package io.cairn.bench.cli;

import io.cairn.bench.report.BenchReport;
import io.cairn.bench.report.ProgressTicker;
import io.cairn.bench.report.ResourceSampler;
import io.cairn.bench.report.ResourceUsage;
import io.cairn.bench.run.BenchRunner;
import io.cairn.bench.run.RealScheduler;
import io.cairn.bench.run.RequestBudget;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.stats.StatsCollector;

/**
 * One benchmark run from prepared scenario to report: prepare, start the clock, run the clients
 * until the budget is spent, let the scenario drain, stop the clock, summarise.
 */
final class BenchRun {
  private BenchRun() {}

  static BenchReport run(BenchOptions options, Scenario scenario, long seed) throws Exception {
    StatsCollector stats = new StatsCollector();
    try (scenario; RealScheduler scheduler = new RealScheduler()) {
      scenario.prepare(stats);
      if (!options.warmup.isZero()) {
        warmUp(options, scenario, scheduler, stats);
      }
      ResourceSampler sampler =
          options.samplePids.isEmpty() ? null : new ResourceSampler(options.samplePids);
      try (ProgressTicker ticker = new ProgressTicker(stats, System.err, System.console() != null,
          options.total(), options.durationNanos(), options.hdrLog)) {
        long start = scheduler.nanoTime();
        RequestBudget budget =
            new RequestBudget(options.total(), options.durationNanos(), options.rate, start);
        ticker.start();
        new BenchRunner(scenario, options.clients, budget, scheduler,
            stats.series(StatsCollector.REQUESTS)).start().get();
        double seconds = (scheduler.nanoTime() - start) / 1e9;
        scenario.drain();
        ticker.stop();
        ResourceUsage resources = sampler == null ? null : sampler.finish();
        return new BenchReport(scenario.name(), options.endpoints, options.clients,
            options.conns, options.rate, seed, seconds,
            stats.summarize(scenario.headlineSeries(), seconds), stats.counters(), resources);
      } finally {
        if (sampler != null) {
          sampler.close();
        }
      }
    }
  }

  /** Runs the scenario for --warmup at the configured concurrency and rate, then forgets it. */
  private static void warmUp(BenchOptions options, Scenario scenario, RealScheduler scheduler,
      StatsCollector stats) throws Exception {
    RequestBudget budget = new RequestBudget(
        0, options.warmup.toNanos(), options.rate, scheduler.nanoTime());
    new BenchRunner(scenario, options.clients, budget, scheduler,
        stats.series(StatsCollector.REQUESTS)).start().get();
    scenario.drain();
    stats.reset();
  }
}
