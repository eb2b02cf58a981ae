package io.cairn.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code latency.png}: for every scenario row, bars of the median p50, p90, p99 and p99.9 latency
 * of each target, on a logarithmic millisecond axis (latencies span orders of magnitude).
 */
public final class LatencyPlot {
  /** Floor for the log axis: a 0 ms bar (no samples) is drawn at 1 µs. */
  private static final double FLOOR_MS = 0.001;

  private LatencyPlot() {}

  public static void write(ComparisonResults results, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> rows = new ArrayList<>(results.rows().keySet());
    CategoryChart chart = new CategoryChartBuilder()
        .width(Math.max(1000, 160 * rows.size()))
        .height(700)
        .title("Latency percentiles (median of runs)")
        .xAxisTitle("scenario")
        .yAxisTitle("ms (log scale)")
        .build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(FLOOR_MS);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setOverlapped(false);
    for (String target : targets(results)) {
      addSeries(chart, results, rows, target, "p50", Medians::p50Ms);
      addSeries(chart, results, rows, target, "p90", Medians::p90Ms);
      addSeries(chart, results, rows, target, "p99", Medians::p99Ms);
      addSeries(chart, results, rows, target, "p99.9", Medians::p999Ms);
    }
    String base = png.toString().replaceFirst("\\.png$", "");
    BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
  }

  private static List<String> targets(ComparisonResults results) {
    List<String> targets = new ArrayList<>();
    for (Map<String, Medians> byTarget : results.rows().values()) {
      for (String t : byTarget.keySet()) {
        if (!targets.contains(t)) {
          targets.add(t);
        }
      }
    }
    return targets;
  }

  private static void addSeries(CategoryChart chart, ComparisonResults results, List<String> rows,
      String target, String percentile, ToDoubleFunction<Medians> figure) {
    List<Double> values = new ArrayList<>();
    for (String row : rows) {
      Medians m = results.rows().get(row).get(target);
      double v = m == null ? 0 : figure.applyAsDouble(m);
      values.add(Math.max(FLOOR_MS, v));
    }
    chart.addSeries(target + " " + percentile, rows, values);
  }
}
