package io.cairn.server.embed;

import io.cairn.server.CairnServer;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.member.MemberStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An in-process Cairn cluster of 1, 3 or 5 members for tests of code that uses etcd: real gRPC
 * on loopback ports, real raft, real storage in a directory of the caller's choosing. Members can
 * be stopped and restarted to inject failures.
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(tempDir).start()) {
 *   String endpoints = cluster.clientEndpoints(); // "http://127.0.0.1:p1,http://127.0.0.1:p2,..."
 *   ...
 *   cluster.stop(cluster.leaderIndex());
 * }
 * }</pre>
 */
public final class EmbeddedCluster implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddedCluster.class);

  private final List<ServerConfig> configs;
  /** Running members (null when stopped); each slot changes only under its lock. */
  private final java.util.concurrent.atomic.AtomicReferenceArray<CairnServer> servers;
  private final Object[] locks;
  private final java.util.concurrent.atomic.AtomicLongArray memberIds;
  private final Network network = new Network();

  private EmbeddedCluster(List<ServerConfig> configs) {
    this.configs = configs;
    this.servers = new java.util.concurrent.atomic.AtomicReferenceArray<>(configs.size());
    this.locks = new Object[configs.size()];
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
    this.memberIds = new java.util.concurrent.atomic.AtomicLongArray(configs.size());
  }

  public static Builder builder(int members) {
    return new Builder(members);
  }

  public int size() {
    return configs.size();
  }

  public ServerConfig config(int index) {
    return configs.get(index);
  }

  /** The running member at {@code index}, or null if stopped. */
  public CairnServer member(int index) {
    return servers.get(index);
  }

  /** {@code host:port} of a member's client listener. */
  public String clientEndpoint(int index) {
    URI url = configs.get(index).listenClientUrls().get(0);
    return url.getHost() + ":" + url.getPort();
  }

  /** Comma-separated client URLs of all members, as etcdctl's {@code --endpoints} takes them. */
  public String clientEndpoints() {
    List<String> urls = new ArrayList<>();
    for (ServerConfig c : configs) {
      urls.add(c.advertiseClientUrls().get(0).toString());
    }
    return String.join(",", urls);
  }

  /** Starts a stopped member (same data directory: a restart). */
  public void start(int index) {
    synchronized (locks[index]) {
      if (servers.get(index) == null) {
        CairnServer server = CairnServer.start(configs.get(index), (what, cause) -> {
          // An embedded member that hits a fatal error stops; the test sees it as stopped.
          LOG.error("member {} hit a fatal error and stops: {}", configs.get(index).name(), what, cause);
          new Thread(() -> stop(index), "cairn-embedded-stop").start();
        }, network);
        memberIds.set(index, server.member().memberId());
        servers.set(index, server);
      }
    }
  }

  /** Cuts member {@code index} off from every other member, both directions. */
  public void isolate(int index) {
    for (int other = 0; other < size(); other++) {
      if (other != index) {
        cutLink(index, other);
        cutLink(other, index);
      }
    }
  }

  /** Messages from member {@code from} no longer reach member {@code to} (one direction). */
  public void cutLink(int from, int to) {
    network.cut(idOf(from), idOf(to));
  }

  /** Delays every message to and from member {@code index}. */
  public void slow(int index, Duration delay) {
    network.slow(idOf(index), delay.toMillis());
  }

  /** Removes every partition and delay. */
  public void heal() {
    network.heal();
  }

  private long idOf(int index) {
    if (memberIds.get(index) == 0) {
      throw new IllegalStateException("member " + index + " has not been started yet");
    }
    return memberIds.get(index);
  }

  /** Stops a member (a clean shutdown; its data directory stays for a restart). */
  public void stop(int index) {
    synchronized (locks[index]) {
      CairnServer s = servers.getAndSet(index, null);
      if (s != null) {
        s.close();
      }
    }
  }

  /**
   * Waits until the running members agree on a leader and returns its index. Polls member status
   * (the cluster moves on its own clock), failing after {@code timeout}.
   */
  public int awaitLeader(Duration timeout) {
    return awaitLeaderAmong(java.util.stream.IntStream.range(0, size()).boxed().toList(), timeout);
  }

  /**
   * Waits until the running members among {@code indexes} agree on a leader that is one of them,
   * and returns its index (e.g. the majority side of a partition).
   */
  public int awaitLeaderAmong(List<Integer> indexes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      int leader = agreedLeader(indexes);
      if (leader >= 0) {
        return leader;
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5); // polling interval of a wait with a deadline, not a synchronization
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("no leader agreed by the running members within " + timeout);
  }

  private int agreedLeader(List<Integer> indexes) {
    long leaderId = 0;
    for (int i : indexes) {
      CairnServer s = servers.get(i);
      if (s == null) {
        continue;
      }
      MemberStatus st = s.member().status();
      if (!st.hasLeader() || (leaderId != 0 && st.leaderId() != leaderId)) {
        return -1;
      }
      leaderId = st.leaderId();
    }
    for (int i : indexes) {
      CairnServer s = servers.get(i);
      if (s != null && s.member().memberId() == leaderId) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    for (int i = 0; i < servers.length(); i++) {
      stop(i);
    }
  }

  /**
   * Options of an embedded cluster. The defaults (20 ms heartbeat, 300 ms election timeout) elect
   * a leader in well under a second yet tolerate the scheduling hiccups of a busy 2-core machine.
   */
  public static final class Builder {
    private final int members;
    private Path dataDir;
    private Duration heartbeat = Duration.ofMillis(20);
    private Duration electionTimeout = Duration.ofMillis(300);
    private long snapshotCount = 100_000;
    private String token = "cairn-embedded";
    private Consumer<ServerConfig.Builder> customizer = b -> { };

    private Builder(int members) {
      if (members < 1) {
        throw new IllegalArgumentException("a cluster needs at least one member, got " + members);
      }
      this.members = members;
    }

    /** Where members keep their data (one subdirectory each). Default: a new temp directory. */
    public Builder dataDir(Path dir) { this.dataDir = dir; return this; }
    public Builder heartbeat(Duration d) { this.heartbeat = d; return this; }
    public Builder electionTimeout(Duration d) { this.electionTimeout = d; return this; }
    public Builder snapshotCount(long n) { this.snapshotCount = n; return this; }
    public Builder clusterToken(String t) { this.token = t; return this; }
    /** Last word on each member's configuration. */
    public Builder customize(Consumer<ServerConfig.Builder> c) { this.customizer = c; return this; }

    /** Starts every member; returns once all listen (a leader may not be elected yet). */
    public EmbeddedCluster start() {
      Path base = dataDir;
      try {
        if (base == null) {
          base = Files.createTempDirectory("cairn-embedded");
        }
        int[] ports = LoopbackPorts.take(2 * members);
        Map<String, List<URI>> initial = new LinkedHashMap<>();
        for (int i = 0; i < members; i++) {
          initial.put("m" + i, List.of(URI.create("http://127.0.0.1:" + ports[2 * i + 1])));
        }
        List<ServerConfig> configs = new ArrayList<>();
        for (int i = 0; i < members; i++) {
          URI client = URI.create("http://127.0.0.1:" + ports[2 * i]);
          URI peer = URI.create("http://127.0.0.1:" + ports[2 * i + 1]);
          ServerConfig.Builder b = ServerConfig.builder()
              .name("m" + i)
              .dataDir(base.resolve("m" + i))
              .listenClientUrls(List.of(client))
              .advertiseClientUrls(List.of(client))
              .listenPeerUrls(List.of(peer))
              .initialAdvertisePeerUrls(List.of(peer))
              .initialCluster(initial)
              .initialClusterToken(token)
              .heartbeatInterval(heartbeat)
              .electionTimeout(electionTimeout)
              .snapshotCount(snapshotCount)
              .walSegmentBytes(4L * 1024 * 1024);
          customizer.accept(b);
          configs.add(b.build());
        }
        EmbeddedCluster cluster = new EmbeddedCluster(List.copyOf(configs));
        // Members start in parallel: each spends most of its start opening storage.
        List<java.util.concurrent.CompletableFuture<Void>> starting = new ArrayList<>();
        for (int i = 0; i < members; i++) {
          int index = i;
          starting.add(java.util.concurrent.CompletableFuture.runAsync(() -> cluster.start(index)));
        }
        try {
          java.util.concurrent.CompletableFuture.allOf(starting.toArray(new java.util.concurrent.CompletableFuture[0]))
              .join();
        } catch (java.util.concurrent.CompletionException e) {
          cluster.close();
          throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        return cluster;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the embedded cluster", e);
      }
    }
  }

  /** Deletes a directory tree (for tests that manage their own data directories). */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
