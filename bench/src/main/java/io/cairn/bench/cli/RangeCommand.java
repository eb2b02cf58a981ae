package io.cairn.bench.cli;

import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.scenario.RangeScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "range", mixinStandardHelpOptions = true,
    description = "Reads of one key or a prefix, linearizable (l) or serializable (s). The key, or "
        + "--populate keys under the prefix, are written before the clock starts.")
final class RangeCommand extends ScenarioCommand {
  @Option(names = "--consistency", defaultValue = "l",
      description = "l = linearizable, s = serializable. Default: ${DEFAULT-VALUE}.")
  String consistency;

  @Option(names = "--key", defaultValue = "/bench/range",
      description = "Key to read (or prefix with --prefix). Default: ${DEFAULT-VALUE}.")
  String key;

  @Option(names = "--prefix", description = "Read every key under --key.")
  boolean prefix;

  @Option(names = "--limit", defaultValue = "0",
      description = "Maximum keys per response, 0 = all. Default: ${DEFAULT-VALUE}.")
  long limit;

  @Option(names = "--populate", defaultValue = "10",
      description = "Keys written under the prefix before reading (with --prefix). "
          + "Default: ${DEFAULT-VALUE}.")
  int populate;

  @Option(names = "--val-size", defaultValue = "8",
      description = "Size of the values written before reading. Default: ${DEFAULT-VALUE}.")
  int valSize;

  @Override
  void validateScenario() {
    BenchOptions.require(consistency.equals("l") || consistency.equals("s"),
        "--consistency must be l or s, got '" + consistency + "'");
    BenchOptions.require(!key.isEmpty(), "--key must not be empty");
    BenchOptions.require(limit >= 0, "--limit must not be negative, got " + limit);
    BenchOptions.require(populate >= 0, "--populate must not be negative, got " + populate);
    BenchOptions.require(valSize >= 0, "--val-size must not be negative, got " + valSize);
  }

  @Override
  Scenario build(EtcdClients clients, int clientCount, long seed) {
    return new RangeScenario(
        clients, key, prefix, consistency.equals("s"), limit, populate, valSize);
  }
}
