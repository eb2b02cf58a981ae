package io.cairn.bench;

import io.cairn.bench.cli.BenchCommand;
import picocli.CommandLine;

/** Entry point of {@code bin/cairn-bench}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
