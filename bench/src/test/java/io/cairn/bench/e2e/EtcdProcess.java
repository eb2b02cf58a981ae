package io.cairn.bench.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-member etcd on free loopback ports with its own temp data dir, for end-to-end
 * tests. Missing etcd skips the test, except on CI (CI=true) where it fails.
 */
final class EtcdProcess implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  final String endpoint;

  private EtcdProcess(Process process, Path dataDir, String endpoint) {
    this.process = process;
    this.dataDir = dataDir;
    this.endpoint = endpoint;
  }

  static EtcdProcess start() throws IOException {
    requireEtcdOnPath();
    int clientPort = freePort();
    int peerPort = freePort();
    Path dataDir = Files.createTempDirectory("cairn-bench-etcd");
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    Process p = new ProcessBuilder(List.of("etcd", "--name", "e2e",
        "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "e2e=" + peer, "--initial-cluster-state", "new"))
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("etcd.log").toFile())
        .start();
    return new EtcdProcess(p, dataDir, client);
  }

  private static void requireEtcdOnPath() {
    boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "etcd")));
    if (found) {
      return;
    }
    String message = "etcd is not on PATH: install the Debian package etcd-server "
        + "(apt-get install -y etcd-server) to run the end-to-end bench test";
    if ("true".equals(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String log() throws IOException {
    return Files.readString(dataDir.resolve("etcd.log"));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
