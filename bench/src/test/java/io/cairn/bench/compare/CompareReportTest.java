package io.cairn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bench.cli.BenchCommand;
import io.cairn.bench.report.BenchReport;
import io.cairn.bench.report.ReportPrinter;
import io.cairn.bench.report.ResourceUsage;
import io.cairn.bench.stats.SeriesSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareReportTest {
  @TempDir Path dir;

  private static BenchReport report(double throughput, double p50, double p99, long rssBytes) {
    SeriesSummary s = new SeriesSummary("requests", 100, 0, 1, throughput, p50, p50, p50 * 1.5,
        p99, p99 * 1.2, p99 * 2, Map.of());
    return new BenchReport("put", "x", 1, 1, 0, 1, 1, List.of(s), Map.of(),
        new ResourceUsage(1, rssBytes, 0.5, 0.5));
  }

  private void write(String name, BenchReport r) throws Exception {
    Files.writeString(dir.resolve("raw").resolve(name), ReportPrinter.GSON.toJson(r));
  }

  @Test
  void tableHoldsMediansAndRatiosOfTheRuns() throws Exception {
    Files.createDirectories(dir.resolve("raw"));
    SplittableRandom random = new SplittableRandom(11);
    double[] etcdTput = new double[3];
    double[] cairnTput = new double[3];
    double[] etcdP50 = new double[3];
    double[] cairnP50 = new double[3];
    for (int run = 0; run < 3; run++) {
      etcdTput[run] = 1000 + random.nextInt(1000);
      cairnTput[run] = 1000 + random.nextInt(1000);
      etcdP50[run] = 1 + random.nextInt(100) / 10.0;
      cairnP50[run] = 1 + random.nextInt(100) / 10.0;
      write("etcd__m1__put-1c__r" + (run + 1) + ".json",
          report(etcdTput[run], etcdP50[run], 9, 100L << 20));
      write("cairn__m1__put-1c__r" + (run + 1) + ".json",
          report(cairnTput[run], cairnP50[run], 4, 50L << 20));
    }
    write("etcd__m3__range-100c__r1.json", report(5000, 2, 8, 300L << 20));

    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(0, cli.execute("compare-report", dir.toString()), err.toString());

    String md = Files.readString(dir.resolve("results.md"));
    String putRow = md.lines().filter(l -> l.startsWith("| 1 member: put-1c")).findFirst()
        .orElseThrow(() -> new AssertionError("no put row in\n" + md));
    List<String> cells = Arrays.stream(putRow.split("\\|")).map(String::trim).toList();
    // cells: "", scenario, runs, etcd ops, cairn ops, ratio, etcd p50, cairn p50, ratio, ...
    double etcdMedian = median(etcdTput);
    double cairnMedian = median(cairnTput);
    assertEquals("3/3", cells.get(2));
    assertEquals(fmt("%.0f", etcdMedian), cells.get(3));
    assertEquals(fmt("%.0f", cairnMedian), cells.get(4));
    assertEquals(fmt("%.2f×", cairnMedian / etcdMedian), cells.get(5));
    assertEquals(fmt("%.2f×", median(cairnP50) / median(etcdP50)), cells.get(8));
    assertEquals(fmt("%.2f×", 4.0 / 9.0), cells.get(11));
    assertEquals(fmt("%.2f×", 0.5), cells.get(14));

    String rangeRow = md.lines().filter(l -> l.startsWith("| 3 members: range-100c"))
        .findFirst().orElseThrow();
    assertTrue(rangeRow.contains("| 1/— |"), "Cairn missing shows as —: " + rangeRow);

    byte[] png = Files.readAllBytes(dir.resolve("latency.png"));
    byte[] magic = {(byte) 0x89, 'P', 'N', 'G'};
    assertArrayEquals(magic, Arrays.copyOf(png, 4));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String fmt(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }

  @Test
  void evenNumberOfRunsTakesTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, Medians.median(new double[] {1, 2, 3, 10}));
    assertTrue(Double.isNaN(Medians.median(new double[] {1, Double.NaN})));
  }

  @Test
  void resultFileNamesAreParsed() {
    RunKey k = RunKey.parse(Path.of("cairn__m3__put-100c__r2.json"));
    assertEquals(new RunKey("cairn", 3, "put-100c", 2), k);
    assertEquals("3 members: put-100c", k.row());
  }
}
