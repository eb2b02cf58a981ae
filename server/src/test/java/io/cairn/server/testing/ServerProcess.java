package io.cairn.server.testing;

import io.cairn.server.embed.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An etcd-API server running as a separate OS process (real etcd, or Cairn in its own JVM) on
 * loopback, with its output in a log file. {@link #kill()} is a real {@code kill -9}.
 */
public final class ServerProcess implements AutoCloseable {
  private final List<String> command;
  private final Path log;
  private final String clientEndpoint;
  /** Extra environment variables (etcd's ETCD_* configuration). */
  private final java.util.Map<String, String> environment;
  /** Opens a client on {@link #endpoint()} to see whether the server serves (TLS clusters need their own). */
  private final java.util.function.Function<String, EtcdClient> clients;
  private Process process;

  private ServerProcess(List<String> command, Path log, String clientEndpoint) {
    this(command, log, clientEndpoint, java.util.Map.of());
  }

  private ServerProcess(List<String> command, Path log, String clientEndpoint, java.util.Map<String, String> environment) {
    this(command, log, clientEndpoint, environment, EtcdClient::new);
  }

  private ServerProcess(List<String> command, Path log, String clientEndpoint, java.util.Map<String, String> environment,
      java.util.function.Function<String, EtcdClient> clients) {
    this.clients = clients;
    this.command = command;
    this.log = log;
    this.clientEndpoint = clientEndpoint;
    this.environment = environment;
  }

  /**
   * A Cairn member joining a running cluster, configured as a user would after
   * {@code etcdctl member add}: the ETCD_* variables it printed in {@code environment}, plus its
   * own data directory and listeners on the command line.
   */
  public static ServerProcess cairnJoiner(Path dataDir, int clientPort, int peerPort,
      java.util.Map<String, String> environment) {
    String client = "http://127.0.0.1:" + clientPort;
    List<String> cmd = cairnCommand();
    cmd.addAll(List.of("--data-dir", dataDir.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", "http://127.0.0.1:" + peerPort, "--log-level", "info"));
    return new ServerProcess(cmd, dataDir.resolveSibling(dataDir.getFileName() + ".log"), "127.0.0.1:" + clientPort,
        java.util.Map.copyOf(environment));
  }

  /** Real etcd, single member, on free loopback ports, data in {@code dataDir}. */
  public static ServerProcess etcd(Path dataDir, String... extraFlags) {
    int[] ports = LoopbackPorts.take(2);
    List<String> cmd = new ArrayList<>(List.of(ExternalTools.etcd().toString()));
    cmd.addAll(singleMemberFlags("etcd-test", dataDir, ports[0], ports[1]));
    cmd.addAll(List.of(extraFlags));
    return new ServerProcess(cmd, dataDir.resolveSibling(dataDir.getFileName() + ".log"), "127.0.0.1:" + ports[0]);
  }

  /**
   * Real etcd or Cairn ({@code etcd} true or false), single member, with https:// client URLs and
   * {@code tlsFlags}; {@code clients} opens the client that waits for it to serve.
   */
  public static ServerProcess singleTls(boolean etcd, Path dataDir, java.util.function.Function<String, EtcdClient> clients,
      String... tlsFlags) {
    int[] ports = LoopbackPorts.take(2);
    List<String> cmd = etcd ? new ArrayList<>(List.of(ExternalTools.etcd().toString())) : cairnCommand();
    for (String flag : singleMemberFlags(etcd ? "etcd-test" : "cairn-test", dataDir, ports[0], ports[1])) {
      cmd.add(flag.replace("http://127.0.0.1:" + ports[0], "https://127.0.0.1:" + ports[0]));
    }
    cmd.addAll(List.of(tlsFlags));
    return new ServerProcess(cmd, dataDir.resolveSibling(dataDir.getFileName() + ".log"), "127.0.0.1:" + ports[0],
        java.util.Map.of(), clients);
  }

  /** Cairn in its own JVM (same classpath as the test), single member. */
  public static ServerProcess cairn(Path dataDir, String... extraFlags) {
    int[] ports = LoopbackPorts.take(2);
    List<String> cmd = cairnCommand();
    cmd.addAll(singleMemberFlags("cairn-test", dataDir, ports[0], ports[1]));
    cmd.addAll(List.of(extraFlags));
    return new ServerProcess(cmd, dataDir.resolveSibling(dataDir.getFileName() + ".log"), "127.0.0.1:" + ports[0]);
  }

  /**
   * One Cairn member of a multi-member cluster, in its own JVM, with the flags a user would
   * pass: {@code initialCluster} is etcd's {@code name=http://host:port,...}.
   */
  public static ServerProcess cairnMember(String name, Path dataDir, int clientPort, int peerPort,
      String initialCluster, String... extraFlags) {
    return cairnMember("http", EtcdClient::new, name, dataDir, clientPort, peerPort, initialCluster, extraFlags);
  }

  /**
   * As above on {@code scheme} ("https" for TLS) client and peer URLs; {@code clients} opens the
   * client that waits for the member to serve (with the certificates a TLS member asks for).
   */
  public static ServerProcess cairnMember(String scheme, java.util.function.Function<String, EtcdClient> clients,
      String name, Path dataDir, int clientPort, int peerPort, String initialCluster, String... extraFlags) {
    String client = scheme + "://127.0.0.1:" + clientPort;
    String peer = scheme + "://127.0.0.1:" + peerPort;
    List<String> cmd = cairnCommand();
    cmd.addAll(List.of("--name", name, "--data-dir", dataDir.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", initialCluster, "--initial-cluster-token", "test-cluster",
        "--initial-cluster-state", "new", "--log-level", "info"));
    cmd.addAll(List.of(extraFlags));
    return new ServerProcess(cmd, dataDir.resolveSibling(dataDir.getFileName() + ".log"), "127.0.0.1:" + clientPort,
        java.util.Map.of(), clients);
  }

  private static List<String> cairnCommand() {
    return new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "io.cairn.server.Main"));
  }

  /** Starts the process without waiting for it to serve (cluster members wait for each other). */
  public ServerProcess launch() {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    return this;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  private static List<String> singleMemberFlags(String name, Path dataDir, int clientPort, int peerPort) {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    return List.of("--name", name, "--data-dir", dataDir.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", name + "=" + peer, "--initial-cluster-token", "test-token",
        "--log-level", "warn");
  }

  /** host:port for gRPC clients. */
  public String endpoint() {
    return clientEndpoint;
  }

  /** Starts (or restarts, with the same data directory) and waits until a Status call answers. */
  public ServerProcess start(Duration timeout) {
    launch();
    awaitServing(timeout);
    return this;
  }

  /** Waits until this server answers Status with a known leader. */
  public void awaitServing(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    try (EtcdClient client = clients.apply(clientEndpoint)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + "; see " + log);
        }
        try {
          if (client.status().getLeader() != 0) {
            return;
          }
        } catch (RuntimeException e) {
          last = e;
        }
        try {
          process.waitFor(20, TimeUnit.MILLISECONDS); // poll interval of a deadline-bounded wait
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("server did not serve within " + timeout + "; see " + log, last);
  }

  /** kill -9: no shutdown hook, no flush. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits up to {@code timeout} for the process to exit by itself; its exit code, or -1 if it did not. */
  public int awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    kill();
  }
}
