package io.cairn.bench.restart;

import io.cairn.bench.client.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of server processes on 127.0.0.1, driven by command line: every member runs
 * {@code command} with etcd's flags (Cairn's {@code bin/cairn} accepts the same), client port
 * {@code basePort + i}, peer port {@code basePort + 100 + i} for member {@code i} (1-based). Each
 * start of a member writes its own log file, so a restart's log holds that start only.
 */
final class LocalCluster implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final int members;
  private final int basePort;
  private final Path workDir;
  private final List<String> serverFlags;
  private final Process[] processes;
  private final Path[] logs;
  private final int[] starts;

  LocalCluster(String name, List<String> command, int members, int basePort, Path workDir,
      List<String> serverFlags) {
    this.name = name;
    this.command = List.copyOf(command);
    this.members = members;
    this.basePort = basePort;
    this.workDir = workDir;
    this.serverFlags = List.copyOf(serverFlags);
    this.processes = new Process[members + 1];
    this.logs = new Path[members + 1];
    this.starts = new int[members + 1];
  }

  String name() {
    return name;
  }

  int members() {
    return members;
  }

  Endpoint client(int member) {
    return new Endpoint("127.0.0.1", basePort + member);
  }

  /** Every client endpoint except {@code member}'s (0 for all of them). */
  List<Endpoint> clientsExcept(int member) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 1; i <= members; i++) {
      if (i != member) {
        out.add(client(i));
      }
    }
    return out;
  }

  /** The log file of the member's latest start. */
  Path log(int member) {
    return logs[member];
  }

  void startAll() throws IOException {
    for (int i = 1; i <= members; i++) {
      start(i);
    }
  }

  /**
   * Executes member {@code member} (first start or restart: the data directory decides) and returns
   * {@link System#nanoTime()} taken just before the exec.
   */
  long start(int member) throws IOException {
    if (processes[member] != null && processes[member].isAlive()) {
      throw new IllegalStateException(name + " member " + member + " is still running");
    }
    Path dataDir = workDir.resolve("n" + member);
    logs[member] = workDir.resolve("n" + member + ".start" + (++starts[member]) + ".log");
    ProcessBuilder builder = new ProcessBuilder(commandLine(member, dataDir))
        .redirectErrorStream(true)
        .redirectOutput(logs[member].toFile());
    Files.createDirectories(workDir);
    long before = System.nanoTime();
    processes[member] = builder.start();
    return before;
  }

  private List<String> commandLine(int member, Path dataDir) {
    String client = "http://" + client(member).host() + ":" + client(member).port();
    String peer = peerUrl(member);
    StringBuilder initial = new StringBuilder();
    for (int i = 1; i <= members; i++) {
      initial.append(i > 1 ? "," : "").append('n').append(i).append('=').append(peerUrl(i));
    }
    List<String> line = new ArrayList<>(command);
    line.addAll(List.of("--name", "n" + member, "--data-dir", dataDir.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", initial.toString(), "--initial-cluster-token", "restart-" + name,
        "--initial-cluster-state", "new"));
    line.addAll(serverFlags);
    return line;
  }

  private String peerUrl(int member) {
    return "http://127.0.0.1:" + (basePort + 100 + member);
  }

  /** SIGKILL (kill -9) and waits until the process is gone. */
  void kill(int member) throws InterruptedException {
    Process p = processes[member];
    p.destroyForcibly();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " member " + member + " survived SIGKILL for 10 s");
    }
  }

  /** The members whose process has exited, e.g. one that crashed; empty when all run. */
  List<Integer> exited() {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= members; i++) {
      if (processes[i] == null || !processes[i].isAlive()) {
        out.add(i);
      }
    }
    return out;
  }

  /** Stops every member (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() throws InterruptedException {
    for (int i = 1; i <= members; i++) {
      if (processes[i] != null) {
        processes[i].destroy();
      }
    }
    for (int i = 1; i <= members; i++) {
      if (processes[i] != null && !processes[i].waitFor(10, TimeUnit.SECONDS)) {
        processes[i].destroyForcibly().waitFor();
      }
    }
  }
}
