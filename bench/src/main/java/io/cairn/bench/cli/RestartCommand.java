package io.cairn.bench.cli;

import io.cairn.bench.restart.RestartRounds;
import io.cairn.bench.restart.RestartSample;
import io.cairn.bench.restart.RestartTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cairn-bench restart}: how long a kill -9'd member takes to serve a linearizable read
 * again, for each server given, back to back with the same ports, flags and load.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Kill -9 and restart a follower of a local 3-member cluster, idle and under a put "
        + "load, and time exec -> first linearizable Range it answers. Servers are started by "
        + "command line with etcd's flags, one after the other on the same ports.")
final class RestartCommand implements Callable<Integer> {
  @Option(names = "--server", required = true, paramLabel = "NAME=COMMAND",
      description = "A server to test, e.g. cairn=bin/cairn or etcd=etcd (words split on spaces); "
          + "repeat for a side-by-side run.")
  List<String> servers;

  @Option(names = "--restarts", defaultValue = "5", description = "Restarts per server and load. Default: ${DEFAULT-VALUE}.")
  int restarts;

  @Option(names = "--load", defaultValue = "both", description = "idle, load or both. Default: ${DEFAULT-VALUE}.")
  String load;

  @Option(names = "--load-clients", defaultValue = "20", description = "Put clients. Default: ${DEFAULT-VALUE}.")
  int loadClients;

  @Option(names = "--load-conns", defaultValue = "4", description = "Connections of the load. Default: ${DEFAULT-VALUE}.")
  int loadConns;

  @Option(names = "--load-rate", defaultValue = "1000",
      description = "Puts per second at most (0: unlimited). Default: ${DEFAULT-VALUE}.")
  double loadRate;

  @Option(names = "--val-size", defaultValue = "256", description = "Value size of the load. Default: ${DEFAULT-VALUE}.")
  int valueSize;

  @Option(names = "--down", defaultValue = "1s", converter = DurationConverter.class,
      description = "How long the killed member stays down. Default: ${DEFAULT-VALUE}.")
  Duration downTime;

  @Option(names = "--settle", defaultValue = "3s", converter = DurationConverter.class,
      description = "Pause after each restart before the next kill. Default: ${DEFAULT-VALUE}.")
  Duration settleTime;

  @Option(names = "--limit", defaultValue = "30s", converter = DurationConverter.class,
      description = "Give up on a restart after this long. Default: ${DEFAULT-VALUE}.")
  Duration servingLimit;

  @Option(names = "--base-port", defaultValue = "27000",
      description = "Client ports base+1..3, peer ports base+101..103. Default: ${DEFAULT-VALUE}.")
  int basePort;

  @Option(names = "--work-dir", description = "Where data directories and logs go (default: a new temp dir, kept).")
  Path workDir;

  @Option(names = "--server-flags", split = " ", defaultValue = "--heartbeat-interval 100 --election-timeout 1000 "
      + "--snapshot-count 100000 --quota-backend-bytes 8589934592",
      description = "Flags given to every server. Default: ${DEFAULT-VALUE}.")
  List<String> serverFlags;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, List<String>> commands = parseServers();
    boolean idle = load.equals("idle") || load.equals("both");
    boolean loaded = load.equals("load") || load.equals("both");
    if (!idle && !loaded) {
      throw new ParameterException(spec.commandLine(), "--load must be idle, load or both: " + load);
    }
    if (restarts < 1) {
      throw new ParameterException(spec.commandLine(), "--restarts must be at least 1");
    }
    Path work = workDir != null ? workDir : Files.createTempDirectory("cairn-restart-");
    RestartRounds rounds = new RestartRounds(new RestartRounds.Plan(3, restarts, downTime, settleTime,
        servingLimit, idle, loaded, loadClients, loadConns, loadRate, valueSize, basePort, serverFlags),
        System.err);
    List<RestartSample> samples = new ArrayList<>();
    for (Map.Entry<String, List<String>> server : commands.entrySet()) {
      samples.addAll(rounds.run(server.getKey(), server.getValue(), work.resolve(server.getKey())));
    }
    spec.commandLine().getOut().print(RestartTable.render(samples));
    spec.commandLine().getOut().flush();
    System.err.println("restart: data directories and member logs are in " + work);
    return 0;
  }

  private Map<String, List<String>> parseServers() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String s : servers) {
      int eq = s.indexOf('=');
      if (eq < 1 || eq == s.length() - 1) {
        throw new ParameterException(spec.commandLine(), "--server wants NAME=COMMAND, got " + s);
      }
      out.put(s.substring(0, eq), Arrays.asList(s.substring(eq + 1).trim().split("\\s+")));
    }
    return out;
  }
}
