package io.cairn.bench.cli;

import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.scenario.TxnPutScenario;
import picocli.CommandLine.Command;

@Command(name = "txn-put", mixinStandardHelpOptions = true,
    description = "kube-apiserver-style compare-and-swap updates: Txn If(mod_revision==cached) "
        + "Then Put Else Range; conflicts are counted.")
final class TxnPutCommand extends KeyedScenarioCommand {
  @Override
  Scenario build(EtcdClients clients, int clientCount, long seed) {
    return new TxnPutScenario(clients, keys.keySpace(clientCount, seed), keys.valSize);
  }
}
