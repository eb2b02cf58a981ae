package io.cairn.bench.compare;

import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The comparison as a markdown table: one row per topology + scenario; for throughput, p50, p99
 * and peak RSS the etcd value, the Cairn value and the ratio Cairn/etcd. A missing target or
 * figure shows as "—".
 */
public final class MarkdownTable {
  static final String ETCD = "etcd";
  static final String CAIRN = "cairn";

  private MarkdownTable() {}

  public static String render(ComparisonResults results) {
    StringBuilder md = new StringBuilder();
    md.append("| scenario | runs | etcd ops/s | Cairn ops/s | ratio | etcd p50 ms | Cairn p50 ms"
        + " | ratio | etcd p99 ms | Cairn p99 ms | ratio | etcd RSS MiB | Cairn RSS MiB | ratio"
        + " | etcd CPU cores | Cairn CPU cores | errors etcd/Cairn |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Map.Entry<String, Map<String, Medians>> row : results.rows().entrySet()) {
      Medians etcd = row.getValue().get(ETCD);
      Medians cairn = row.getValue().get(CAIRN);
      md.append("| ").append(row.getKey())
          .append(" | ").append(runs(etcd, cairn));
      triple(md, etcd, cairn, Medians::throughput, "%.0f");
      triple(md, etcd, cairn, Medians::p50Ms, "%.3f");
      triple(md, etcd, cairn, Medians::p99Ms, "%.3f");
      triple(md, etcd, cairn, Medians::peakRssMiB, "%.1f");
      md.append(" | ").append(value(etcd, Medians::cpuCores, "%.2f"))
          .append(" | ").append(value(cairn, Medians::cpuCores, "%.2f"))
          .append(" | ").append(etcd == null ? "—" : etcd.errors())
          .append("/").append(cairn == null ? "—" : cairn.errors())
          .append(" |\n");
    }
    return md.toString();
  }

  private static String runs(Medians etcd, Medians cairn) {
    return (etcd == null ? "—" : Integer.toString(etcd.runs())) + "/"
        + (cairn == null ? "—" : Integer.toString(cairn.runs()));
  }

  private static void triple(StringBuilder md, Medians etcd, Medians cairn,
      ToDoubleFunction<Medians> figure, String format) {
    md.append(" | ").append(value(etcd, figure, format))
        .append(" | ").append(value(cairn, figure, format))
        .append(" | ").append(ratio(etcd, cairn, figure));
  }

  private static String value(Medians m, ToDoubleFunction<Medians> figure, String format) {
    if (m == null || Double.isNaN(figure.applyAsDouble(m))) {
      return "—";
    }
    return String.format(Locale.ROOT, format, figure.applyAsDouble(m));
  }

  /** Cairn divided by etcd, or "—" when either is missing or etcd's is zero. */
  static String ratio(Medians etcd, Medians cairn, ToDoubleFunction<Medians> figure) {
    if (etcd == null || cairn == null) {
      return "—";
    }
    double e = figure.applyAsDouble(etcd);
    double c = figure.applyAsDouble(cairn);
    if (Double.isNaN(e) || Double.isNaN(c) || e == 0) {
      return "—";
    }
    return String.format(Locale.ROOT, "%.2f×", c / e);
  }
}
