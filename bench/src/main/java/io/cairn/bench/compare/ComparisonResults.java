package io.cairn.bench.compare;

import io.cairn.bench.report.BenchReport;
import io.cairn.bench.report.ReportPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The raw {@code --json} summaries of a comparison, grouped into rows (topology + scenario) and
 * targets (etcd, cairn), reduced to medians. Rows keep the order they were run in (by file time,
 * then name).
 */
public final class ComparisonResults {
  /** Row name to target to medians; rows in run order, targets sorted by name. */
  private final Map<String, Map<String, Medians>> rows;

  private ComparisonResults(Map<String, Map<String, Medians>> rows) {
    this.rows = rows;
  }

  /** Reads every {@code *.json} in {@code rawDir}. */
  public static ComparisonResults load(Path rawDir) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(rawDir)) {
      files = new ArrayList<>(listing.filter(p -> p.toString().endsWith(".json")).toList());
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no *.json results in " + rawDir);
    }
    Map<Path, Long> modified = new TreeMap<>();
    for (Path f : files) {
      modified.put(f, Files.getLastModifiedTime(f).toMillis());
    }
    files.sort(Comparator.comparing((Path f) -> modified.get(f)).thenComparing(Path::toString));
    Map<String, Map<String, List<BenchReport>>> grouped = new LinkedHashMap<>();
    for (Path f : files) {
      RunKey key = RunKey.parse(f);
      BenchReport report = ReportPrinter.GSON.fromJson(Files.readString(f), BenchReport.class);
      if (report == null || report.series() == null || report.series().isEmpty()) {
        throw new IllegalArgumentException("not a cairn-bench --json summary: " + f);
      }
      grouped.computeIfAbsent(key.row(), k -> new TreeMap<>())
          .computeIfAbsent(key.target(), k -> new ArrayList<>()).add(report);
    }
    Map<String, Map<String, Medians>> rows = new LinkedHashMap<>();
    grouped.forEach((row, byTarget) -> {
      Map<String, Medians> medians = new TreeMap<>();
      byTarget.forEach((target, reports) -> medians.put(target, Medians.of(reports)));
      rows.put(row, medians);
    });
    return new ComparisonResults(rows);
  }

  public Map<String, Map<String, Medians>> rows() {
    return rows;
  }
}
