package io.cairn.bench.cli;

import picocli.CommandLine.Command;

/**
 * {@code cairn-bench}: a load generator for any etcd v3 endpoint (etcd or Cairn), plus the tools
 * the side-by-side comparison script uses (a health probe and the report writer).
 */
@Command(name = "cairn-bench", mixinStandardHelpOptions = true,
    description = "Benchmarks any etcd v3 endpoint.",
    subcommands = {
        PutCommand.class, RangeCommand.class, TxnPutCommand.class, WatchCommand.class,
        LeaseKeepaliveCommand.class, KubeCommand.class, StatusCommand.class, RestartCommand.class,
        CompareReportCommand.class})
public final class BenchCommand {}
