package io.cairn.bench.cli;

import io.cairn.bench.scenario.KeySpace;
import picocli.CommandLine.Option;

/** Key and value shape of the write scenarios. */
final class KeyOptions {
  @Option(names = "--key-size", defaultValue = "8",
      description = "Digits of the key number after the prefix. Default: ${DEFAULT-VALUE}.")
  int keySize;

  @Option(names = "--val-size", defaultValue = "8",
      description = "Value size in bytes. Default: ${DEFAULT-VALUE}.")
  int valSize;

  @Option(names = "--key-space-size", defaultValue = "1",
      description = "Distinct keys random keys are drawn from. Default: ${DEFAULT-VALUE}.")
  long keySpaceSize;

  @Option(names = "--sequential-keys",
      description = "Write keys 0, 1, 2... in order instead of at random.")
  boolean sequential;

  @Option(names = "--key-prefix", defaultValue = "/bench/",
      description = "Prefix of every key written. Default: ${DEFAULT-VALUE}.")
  String prefix;

  void validate(int minValueSize) {
    BenchOptions.require(valSize >= minValueSize,
        "--val-size must be at least " + minValueSize + ", got " + valSize);
    BenchOptions.require(keySize >= 1 && keySize <= 18,
        "--key-size must be within 1..18 digits, got " + keySize);
    BenchOptions.require(keySpaceSize >= 1,
        "--key-space-size must be at least 1, got " + keySpaceSize);
    BenchOptions.require(sequential || keySpaceSize <= maxKeys(),
        "--key-size " + keySize + " cannot hold --key-space-size " + keySpaceSize
            + " distinct keys (at most " + maxKeys() + ")");
  }

  private long maxKeys() {
    return (long) Math.pow(10, keySize);
  }

  /** Sequential keys wrap at the largest number that fits; random keys use the key space. */
  KeySpace keySpace(int clients, long seed) {
    long size = sequential ? maxKeys() : keySpaceSize;
    return new KeySpace(prefix, keySize, size, sequential, clients, seed);
  }
}
