package io.cairn.bench.compare;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * {@code latency.png}: for every scenario row, bars of the median p50, p90, p99 and p99.9 latency
 * of each target, on a logarithmic millisecond axis (latencies span orders of magnitude).
 */
public final class LatencyPlot {
  /** A 0 ms figure (no samples) is drawn at this height; the log axis cannot show 0. */
  private static final double EMPTY_MS = 0.001;
  /** Bar colours by percentile (p50 light to p99.9 dark): blues for etcd, oranges for others. */
  private static final Color[] ETCD_COLORS = {
      new Color(0x9ecae1), new Color(0x6baed6), new Color(0x3182bd), new Color(0x08519c)};
  private static final Color[] OTHER_COLORS = {
      new Color(0xfdae6b), new Color(0xfd8d3c), new Color(0xe6550d), new Color(0xa63603)};

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
    chart.getStyler().setYAxisMin(axisFloor(results));
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setOverlapped(false);
    for (String target : targets(results)) {
      Color[] colors = target.equals(MarkdownTable.ETCD) ? ETCD_COLORS : OTHER_COLORS;
      addSeries(chart, results, rows, target, "p50", Medians::p50Ms).setFillColor(colors[0]);
      addSeries(chart, results, rows, target, "p90", Medians::p90Ms).setFillColor(colors[1]);
      addSeries(chart, results, rows, target, "p99", Medians::p99Ms).setFillColor(colors[2]);
      addSeries(chart, results, rows, target, "p99.9", Medians::p999Ms).setFillColor(colors[3]);
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

  /** The power of ten just below the smallest non-zero p50, so bars use the height well. */
  private static double axisFloor(ComparisonResults results) {
    double min = Double.MAX_VALUE;
    for (Map<String, Medians> byTarget : results.rows().values()) {
      for (Medians m : byTarget.values()) {
        if (m.p50Ms() > 0) {
          min = Math.min(min, m.p50Ms());
        }
      }
    }
    return min == Double.MAX_VALUE ? EMPTY_MS : Math.pow(10, Math.floor(Math.log10(min)));
  }

  private static CategorySeries addSeries(CategoryChart chart, ComparisonResults results, List<String> rows,
      String target, String percentile, ToDoubleFunction<Medians> figure) {
    List<Double> values = new ArrayList<>();
    for (String row : rows) {
      Medians m = results.rows().get(row).get(target);
      double v = m == null ? 0 : figure.applyAsDouble(m);
      values.add(v > 0 ? v : EMPTY_MS);
    }
    return chart.addSeries(target + " " + percentile, rows, values);
  }
}
