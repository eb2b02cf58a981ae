package io.cairn.bench.cli;

import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.scenario.LeaseKeepaliveScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lease-keepalive", mixinStandardHelpOptions = true,
    description = "Each client grants a lease, then sends keepalives on its own stream.")
final class LeaseKeepaliveCommand extends ScenarioCommand {
  @Option(names = "--ttl", defaultValue = "60",
      description = "TTL of the granted leases in seconds. Default: ${DEFAULT-VALUE}.")
  long ttl;

  @Override
  void validateScenario() {
    BenchOptions.require(ttl >= 1, "--ttl must be at least 1 second, got " + ttl);
  }

  @Override
  Scenario build(EtcdClients clients, int clientCount, long seed) {
    return new LeaseKeepaliveScenario(clients, clientCount, ttl);
  }
}
