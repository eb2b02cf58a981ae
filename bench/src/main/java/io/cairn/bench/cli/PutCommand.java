package io.cairn.bench.cli;

import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.scenario.PutScenario;
import picocli.CommandLine.Command;

@Command(name = "put", mixinStandardHelpOptions = true,
    description = "Puts of --val-size bytes, sequential or random keys.")
final class PutCommand extends KeyedScenarioCommand {
  @Override
  Scenario build(EtcdClients clients, int clientCount, long seed) {
    return new PutScenario(clients, keys.keySpace(clientCount, seed), keys.valSize);
  }
}
