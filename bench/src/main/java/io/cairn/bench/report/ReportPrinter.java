package io.cairn.bench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.cairn.bench.stats.SeriesSummary;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Prints a {@link BenchReport} as human-readable text or as the {@code --json} summary. */
public final class ReportPrinter {
  /** Shared by the writer and the comparison reader so both agree on the format. */
  public static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final PrintWriter out;

  public ReportPrinter(PrintWriter out) {
    this.out = out;
  }

  public void printJson(BenchReport report) {
    out.println(GSON.toJson(report));
    out.flush();
  }

  public void printText(BenchReport report) {
    out.printf(Locale.ROOT, "%s against %s: %d clients, %d conns, %s, seed %d%n",
        report.scenario(), report.endpoints(), report.clients(), report.conns(),
        report.rateLimit() > 0 ? "rate limit " + report.rateLimit() + "/s" : "no rate limit",
        report.seed());
    out.printf(Locale.ROOT, "%-16s %9s %8s %10s %8s %8s %8s %8s %8s %8s%n", "series", "ok",
        "errors", "ops/s", "avg ms", "p50", "p90", "p99", "p99.9", "max");
    for (SeriesSummary s : report.series()) {
      out.printf(Locale.ROOT, "%-16s %9d %8d %10.1f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f%n",
          s.name(), s.ok(), s.errors(), s.throughput(), s.avgMs(), s.p50Ms(), s.p90Ms(),
          s.p99Ms(), s.p999Ms(), s.maxMs());
    }
    for (SeriesSummary s : report.series()) {
      for (Map.Entry<String, Long> e : s.errorsByKey().entrySet()) {
        out.printf(Locale.ROOT, "error %s: %d x %s%n", s.name(), e.getValue(), e.getKey());
      }
    }
    report.counters().forEach((k, v) -> out.printf(Locale.ROOT, "%s: %d%n", k, v));
    ResourceUsage r = report.resources();
    if (r != null) {
      out.printf(Locale.ROOT, "server (%d processes): peak RSS %.1f MiB, CPU %.2f s (%.2f cores)%n",
          r.processes(), r.peakRssMiB(), r.cpuSeconds(), r.cpuCores());
    }
    out.printf(Locale.ROOT, "elapsed %.3f s%n", report.seconds());
    out.flush();
  }
}
