package io.cairn.bench.cli;

import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.scenario.KeySpace;
import io.cairn.bench.scenario.KubeScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kube", mixinStandardHelpOptions = true,
    description = "A kube-apiserver-shaped mix: 45%% optimistic Txn updates, 15%% creates "
        + "If(mod_revision==0), 20%% gets, 10%% paginated lists at a fixed revision, 10%% lease "
        + "grant + leased put; plus watchers with prev_kv on /registry/.")
final class KubeCommand extends ScenarioCommand {
  @Option(names = "--objects", defaultValue = "1000",
      description = "Objects written before the run and updated/read/listed. "
          + "Default: ${DEFAULT-VALUE}.")
  long objects;

  @Option(names = "--val-size", defaultValue = "1024",
      description = "Object size in bytes. Default: ${DEFAULT-VALUE}.")
  int valSize;

  @Option(names = "--page-size", defaultValue = "100",
      description = "List page size (Range limit). Default: ${DEFAULT-VALUE}.")
  int pageSize;

  @Option(names = "--watchers", defaultValue = "4",
      description = "Watch streams on /registry/ with prev_kv. Default: ${DEFAULT-VALUE}.")
  int watchers;

  @Option(names = "--lease-ttl", defaultValue = "60",
      description = "TTL of event leases in seconds. Default: ${DEFAULT-VALUE}.")
  long leaseTtl;

  @Override
  void validateScenario() {
    BenchOptions.require(objects >= 1 && objects <= 100_000_000,
        "--objects must be within 1..100000000, got " + objects);
    BenchOptions.require(valSize >= Long.BYTES, "--val-size must be at least 8, got " + valSize);
    BenchOptions.require(pageSize >= 1, "--page-size must be at least 1, got " + pageSize);
    BenchOptions.require(watchers >= 0, "--watchers must not be negative, got " + watchers);
    BenchOptions.require(leaseTtl >= 1, "--lease-ttl must be at least 1, got " + leaseTtl);
  }

  @Override
  Scenario build(EtcdClients clients, int clientCount, long seed) {
    KeySpace space = new KeySpace(KubeScenario.OBJECTS, 8, objects, false, clientCount, seed);
    return new KubeScenario(clients, space, clientCount, valSize, pageSize, watchers, leaseTtl);
  }
}
