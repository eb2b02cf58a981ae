package io.cairn.bench.cli;

import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.scenario.WatchScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "N watchers on --key-prefix while the clients put under it (limit with --rate); "
        + "latency = event receipt time - put send time, carried in the value.")
final class WatchCommand extends KeyedScenarioCommand {
  @Option(names = "--watchers", defaultValue = "10",
      description = "Watch streams on the prefix. Default: ${DEFAULT-VALUE}.")
  int watchers;

  @Override
  int minValueSize() {
    return Long.BYTES;
  }

  @Override
  void validateScenario() {
    super.validateScenario();
    BenchOptions.require(watchers >= 1, "--watchers must be at least 1, got " + watchers);
  }

  @Override
  Scenario build(EtcdClients clients, int clientCount, long seed) {
    return new WatchScenario(clients, keys.keySpace(clientCount, seed), watchers, keys.valSize);
  }
}
