package io.cairn.bench.cli;

import picocli.CommandLine.Mixin;

/** A scenario subcommand that writes keys shaped by {@link KeyOptions}. */
abstract class KeyedScenarioCommand extends ScenarioCommand {
  @Mixin KeyOptions keys;

  /** Smallest value the scenario can write (a watch value carries an 8-byte timestamp). */
  int minValueSize() {
    return 0;
  }

  @Override
  void validateScenario() {
    keys.validate(minValueSize());
  }
}
