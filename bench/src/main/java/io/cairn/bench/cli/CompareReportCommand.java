package io.cairn.bench.cli;

import io.cairn.bench.compare.ComparisonResults;
import io.cairn.bench.compare.LatencyPlot;
import io.cairn.bench.compare.MarkdownTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Turns the raw {@code --json} summaries of {@code bench/compare.sh} into {@code results.md}
 * (medians and Cairn/etcd ratios) and {@code latency.png}.
 */
@Command(name = "compare-report", mixinStandardHelpOptions = true,
    description = "Write results.md and latency.png from DIR/raw/*.json "
        + "(<target>__m<members>__<label>__r<run>.json).")
final class CompareReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "Results directory.")
  Path dir;

  @Option(names = "--title", defaultValue = "Cairn vs etcd",
      description = "Heading of results.md. Default: ${DEFAULT-VALUE}.")
  String title;

  @Option(names = "--notes", paramLabel = "FILE",
      description = "Markdown appended under the table (machine, flags, versions).")
  Path notes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ComparisonResults results = ComparisonResults.load(dir.resolve("raw"));
    String table = MarkdownTable.render(results);
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n")
        .append("Medians of the runs of each scenario. Ratios are Cairn/etcd: above 1 means "
            + "Cairn is higher (better for ops/s, worse for latency and RSS). Latency and ops/s "
            + "are of each scenario's headline series (watch: put-to-event latency). RSS is the "
            + "peak of the summed resident set size of all members during the run; CPU is cores "
            + "busy on average.\n\n")
        .append(table);
    if (notes != null) {
      md.append("\n").append(Files.readString(notes));
    }
    Files.writeString(dir.resolve("results.md"), md.toString());
    LatencyPlot.write(results, dir.resolve("latency.png"));
    spec.commandLine().getOut().print(table);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
