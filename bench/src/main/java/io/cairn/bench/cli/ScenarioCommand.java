package io.cairn.bench.cli;

import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.report.BenchReport;
import io.cairn.bench.report.ReportPrinter;
import io.cairn.bench.run.Scenario;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every scenario subcommand: validates the shared and specific options, connects, builds
 * the scenario, runs it with {@link BenchRun} and prints the report.
 */
abstract class ScenarioCommand implements Callable<Integer> {
  @Mixin BenchOptions options;

  @Spec CommandSpec spec;

  /** Validates the scenario's own options; throw IllegalArgumentException with a clear message. */
  void validateScenario() {}

  /** Builds the scenario for {@code clients} logical clients. */
  abstract Scenario build(EtcdClients clients, int clientCount, long seed);

  @Override
  public Integer call() throws Exception {
    try {
      options.validate();
      validateScenario();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    long seed = options.seed != null ? options.seed : ThreadLocalRandom.current().nextLong();
    BenchReport report;
    try (EtcdClients clients =
        EtcdClients.connect(options.endpointList(), options.conns, options.timeout)) {
      report = BenchRun.run(options, build(clients, options.clients, seed), seed);
    } catch (Exception e) {
      // Set-up failures (server down, RPC not implemented): one clear line, exit code 1.
      Throwable cause = e.getCause() != null && e.getMessage() != null
          && e.getMessage().contains(e.getCause().toString()) ? e.getCause() : e;
      spec.commandLine().getErr().println(
          "cairn-bench " + spec.name() + ": failed: " + cause);
      spec.commandLine().getErr().flush();
      return 1;
    }
    ReportPrinter printer = new ReportPrinter(spec.commandLine().getOut());
    if (options.json) {
      printer.printJson(report);
    } else {
      printer.printText(report);
    }
    return 0;
  }
}
