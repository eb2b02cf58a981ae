package io.cairn.bench.restart;

import io.cairn.bench.compare.Medians;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The restart figures as Markdown: per target and load, the median (and range) of exec → first
 * linearizable read, then the medians of each step of Cairn's start breakdown.
 */
public final class RestartTable {
  private RestartTable() {}

  public static String render(List<RestartSample> samples) {
    Map<String, List<RestartSample>> groups = new LinkedHashMap<>();
    for (RestartSample s : samples) {
      groups.computeIfAbsent(s.target() + "|" + (s.loaded() ? "under load" : "idle"),
          k -> new ArrayList<>()).add(s);
    }
    StringBuilder out = new StringBuilder();
    out.append("| target | cluster | restarts | exec → linearizable read, median | min | max | load, puts/s |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|\n");
    groups.forEach((key, group) -> {
      String[] parts = key.split("\\|");
      out.append(String.format(Locale.ROOT, "| %s | %s | %d | **%s** | %s | %s | %s |%n", parts[0], parts[1],
          group.size(), ms(median(group, RestartSample::servingMillis)),
          ms(min(group, RestartSample::servingMillis)), ms(max(group, RestartSample::servingMillis)),
          group.get(0).loaded() ? String.format(Locale.ROOT, "%.0f",
              median(group, RestartSample::loadPutsPerSecond)) : "—"));
    });
    boolean anyBreakdown = samples.stream().anyMatch(s -> s.breakdown() != null);
    if (anyBreakdown) {
      out.append("\nStart breakdown (server's own log line), medians in ms since exec:\n\n| target | cluster |");
      StartBreakdown.STEPS.forEach(step -> out.append(' ').append(step).append(" |"));
      out.append("\n|---|---|");
      StartBreakdown.STEPS.forEach(step -> out.append("---:|"));
      out.append('\n');
      groups.forEach((key, group) -> {
        List<RestartSample> withBreakdown = group.stream().filter(s -> s.breakdown() != null).toList();
        if (withBreakdown.isEmpty()) {
          return;
        }
        String[] parts = key.split("\\|");
        out.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" |");
        for (String step : StartBreakdown.STEPS) {
          out.append(' ').append(ms(median(withBreakdown, s -> s.breakdown().at(step)))).append(" |");
        }
        out.append('\n');
      });
    }
    return out.toString();
  }

  private static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "—";
    }
    return Double.isInfinite(millis) ? "not serving within --limit"
        : String.format(Locale.ROOT, "%.0f ms", millis);
  }

  private static double[] sorted(List<RestartSample> group, ToDoubleFunction<RestartSample> f) {
    double[] values = group.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).toArray();
    Arrays.sort(values);
    return values;
  }

  private static double median(List<RestartSample> group, ToDoubleFunction<RestartSample> f) {
    double[] values = sorted(group, f);
    return values.length == 0 ? Double.NaN : Medians.median(values);
  }

  private static double min(List<RestartSample> group, ToDoubleFunction<RestartSample> f) {
    double[] values = sorted(group, f);
    return values.length == 0 ? Double.NaN : values[0];
  }

  private static double max(List<RestartSample> group, ToDoubleFunction<RestartSample> f) {
    double[] values = sorted(group, f);
    return values.length == 0 ? Double.NaN : values[values.length - 1];
  }
}
