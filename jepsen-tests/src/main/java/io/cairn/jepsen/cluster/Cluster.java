package io.cairn.jepsen.cluster;

import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.HashKVResponse;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.cairn.jepsen.client.EtcdConnection;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cluster under test: N members of Cairn or real etcd, each a separate process in its own network
 * namespace with its own data directory, started with the flags an operator would give (short
 * heartbeat and election timeouts so that faults resolve within a short run).
 *
 * <p>Owns the {@link NetworkLab}; {@link #close} stops every member and deletes the namespaces. A
 * JVM shutdown hook does the same if the runner is interrupted.
 */
public final class Cluster implements AutoCloseable {

  public static final int HEARTBEAT_MILLIS = 50;
  public static final int ELECTION_MILLIS = 500;
  /** Deadline of the harness's own Status calls; generous because the machine may be loaded. */
  static final long STATUS_TIMEOUT_MILLIS = 3000;
  /**
   * libfaketime without its pthread locking: measured here, a JVM clock call costs ~0.4 us under it and
   * ~3 us under libfaketimeMT, which made Cairn members take minutes to start on a loaded machine.
   */
  private static final String FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
  /** The server's main class, named when the server jar is on -cp rather than run with -jar. */
  private static final String SERVER_MAIN = "io.cairn.server.Main";

  private final DbKind kind;
  private final NetworkLab lab;
  private final List<MemberProcess> members;
  /** One connection per member, index i-1 for member i; used by the harness itself (status, hash). */
  private final List<EtcdConnection> admin;
  /** Per-member libfaketime offset files (empty when the clock nemesis is off). */
  private final List<Path> clockFiles;
  /** Delay proxies in front of the peer ports, index i-1 for member i (empty without the delay nemesis). */
  private final List<MemberProcess> proxies;
  /** Per-proxy delay files (milliseconds). */
  private final List<Path> delayFiles;
  private final Path dataRoot;
  private final Thread cleanupHook;

  private Cluster(DbKind kind, NetworkLab lab, List<MemberProcess> members, List<Path> clockFiles,
      List<MemberProcess> proxies, List<Path> delayFiles, Path dataRoot) {
    this.kind = kind;
    this.proxies = proxies;
    this.delayFiles = delayFiles;
    this.lab = lab;
    this.members = members;
    this.clockFiles = clockFiles;
    this.dataRoot = dataRoot;
    this.admin = new ArrayList<>();
    for (MemberProcess m : members) {
      admin.add(new EtcdConnection(m.spec().ip(), MemberSpec.CLIENT_PORT));
    }
    this.cleanupHook = new Thread(this::stopAndRemove, "cluster-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupHook);
  }

  /**
   * Creates the network and starts {@code size} members.
   *
   * @param resultDir where member logs go ({@code <name>.log}); data dirs go under {@code dataRoot}
   * @param fakeClock start Cairn members under libfaketime so the clock nemesis can move their clocks
   * @param delayProxies put a {@link DelayProxy} in front of every member's peer port
   * @param plantedBug value of CAIRN_TEST_PLANTED_BUG for Cairn members, or null; when set, the members also get
   *     server-faults/target/cairn-server-faults.jar (the planted bugs) on their class path
   */
  public static Cluster start(DbKind kind, int size, Path resultDir, Path dataRoot, boolean fakeClock, boolean delayProxies,
      String plantedBug) {
    if (size < 1 || size > 9) {
      throw new IllegalArgumentException("cluster size must be 1..9, not " + size);
    }
    Path jar = kind == DbKind.CAIRN ? ProjectLayout.serverJar() : null;
    if (kind == DbKind.ETCD && !Files.isExecutable(Path.of("/usr/bin/etcd"))) {
      throw new IllegalStateException("/usr/bin/etcd is missing: apt-get install -y etcd-server");
    }
    NetworkLab lab = NetworkLab.create(size);
    try {
      Files.createDirectories(resultDir);
      Files.createDirectories(dataRoot);
      List<MemberSpec> specs = new ArrayList<>();
      for (int i = 1; i <= size; i++) {
        specs.add(MemberSpec.of(i));
      }
      String initialCluster = specs.stream().map(s -> s.name() + "=" + s.advertisedPeerUrl(delayProxies))
          .collect(Collectors.joining(","));
      List<MemberProcess> members = new ArrayList<>();
      List<Path> clockFiles = new ArrayList<>();
      for (MemberSpec s : specs) {
        List<String> command = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        if (kind == DbKind.CAIRN) {
          // A member that runs out of heap leaves a dump beside its log, for the post-mortem.
          command.addAll(List.of("java", "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
              "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + resultDir.resolve(s.name() + ".hprof"),
              "--enable-native-access=ALL-UNNAMED"));
          // Extra JVM options for diagnosis (e.g. -XX:NativeMemoryTracking=summary), split on spaces.
          String extra = System.getenv("CAIRN_JEPSEN_MEMBER_JAVA_OPTS");
          if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
          }
          if (plantedBug == null) {
            command.addAll(List.of("-jar", jar.toString()));
          } else {
            // The planted bugs live in a jar of their own that the shipped server does not contain;
            // beside the server jar (whose manifest still brings its lib/), ServiceLoader finds them.
            command.addAll(List.of("-cp", jar + File.pathSeparator + ProjectLayout.serverFaultsJar(),
                SERVER_MAIN));
          }
          if (fakeClock) {
            Path clock = resultDir.resolve("clock-" + s.name() + ".faketime");
            Files.writeString(clock, "+0\n");
            clockFiles.add(clock);
            env.put("LD_PRELOAD", FAKETIME_LIB);
            env.put("FAKETIME_TIMESTAMP_FILE", clock.toString());
            // Re-read the offset file at most once a second: FAKETIME_NO_CACHE (a read on every clock
            // call) slows the JVM's start-up from seconds to most of a minute.
            env.put("FAKETIME_CACHE_DURATION", "1");
            env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
            // Without this, libfaketime 0.9.10 applies its "monotonic fix" to pthread_cond_timedwait
            // and the JVM's timed waits break (measured here: Object.wait(1 ms) returns at once,
            // BlockingQueue.poll(1 ms) takes ~8 ms); with it they take their real time.
            env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
          }
          if (plantedBug != null) {
            env.put("CAIRN_TEST_PLANTED_BUG", plantedBug);
          }
        } else {
          command.add("/usr/bin/etcd");
        }
        command.addAll(List.of(
            "--name", s.name(),
            "--data-dir", dataRoot.resolve(s.name()).toString(),
            "--listen-client-urls", s.clientUrl(),
            "--advertise-client-urls", s.clientUrl(),
            "--listen-peer-urls", s.peerUrl(),
            "--initial-advertise-peer-urls", s.advertisedPeerUrl(delayProxies),
            "--initial-cluster", initialCluster,
            "--initial-cluster-state", "new",
            "--initial-cluster-token", "cairn-jepsen",
            "--heartbeat-interval", Integer.toString(HEARTBEAT_MILLIS),
            "--election-timeout", Integer.toString(ELECTION_MILLIS)));
        members.add(new MemberProcess(s, command, env, resultDir.resolve(s.name() + ".log")));
      }
      List<MemberProcess> proxies = new ArrayList<>();
      List<Path> delayFiles = new ArrayList<>();
      if (delayProxies) {
        String classpath = Path.of(DelayProxy.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        for (MemberSpec s : specs) {
          Path delay = resultDir.resolve("delay-" + s.name() + ".millis");
          Files.writeString(delay, "0\n");
          delayFiles.add(delay);
          proxies.add(new MemberProcess(s, List.of("java", "-Xmx64m", "-XX:+UseSerialGC", "-cp", classpath,
              DelayProxy.class.getName(), s.ip(), Integer.toString(MemberSpec.PROXY_PORT), s.ip(),
              Integer.toString(MemberSpec.PEER_PORT), delay.toString()), Map.of(), resultDir.resolve("proxy-" + s.name() + ".log")));
        }
      }
      Cluster cluster = new Cluster(kind, lab, members, clockFiles, proxies, delayFiles, dataRoot);
      proxies.forEach(MemberProcess::start);
      members.forEach(MemberProcess::start);
      return cluster;
    } catch (IOException e) {
      lab.close();
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      lab.close();
      throw new IllegalStateException("cannot locate the jepsen-tests classes for the delay proxy", e);
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  public DbKind kind() {
    return kind;
  }

  public int size() {
    return members.size();
  }

  public NetworkLab network() {
    return lab;
  }

  /** Member {@code i}, 1-based. */
  public MemberProcess member(int i) {
    return members.get(i - 1);
  }

  public List<MemberProcess> members() {
    return members;
  }

  public List<Path> clockFiles() {
    return clockFiles;
  }

  /** The data directory of member {@code i}. */
  public Path dataDir(int i) {
    return dataRoot.resolve(member(i).spec().name());
  }

  /** Wipes member {@code i}'s data directory (the member must be down). */
  public void wipeDataDir(int i) {
    if (member(i).isRunning()) {
      throw new IllegalStateException("member " + member(i).spec().name() + " is running: its data directory cannot be wiped");
    }
    DataDirs.deleteTree(dataDir(i));
  }

  /** The peer URL member {@code i} advertises (its delay proxy's when there are proxies). */
  public String advertisedPeerUrl(int i) {
    return member(i).spec().advertisedPeerUrl(hasDelayProxies());
  }

  /** The Cluster (membership) service of member {@code i}, with a deadline. */
  public ClusterGrpc.ClusterBlockingStub membership(int i, long timeoutMillis) {
    return admin.get(i - 1).cluster(timeoutMillis);
  }

  /** Member {@code i}'s status, or empty when it does not answer within {@value #STATUS_TIMEOUT_MILLIS} ms. */
  public Optional<StatusResponse> status(int i) {
    try {
      return Optional.of(admin.get(i - 1).maintenance(STATUS_TIMEOUT_MILLIS).status(StatusRequest.getDefaultInstance()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The 1-based index of the member that says it is the leader, or empty. */
  public Optional<Integer> leader() {
    for (int i = 1; i <= size(); i++) {
      Optional<StatusResponse> s = status(i);
      if (s.isPresent() && s.get().getLeader() != 0 && s.get().getLeader() == s.get().getHeader().getMemberId()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /**
   * Waits until every member answers and one of them leads; throws after {@code timeoutMillis}, or at
   * once when a member process exited by itself (it will not come back).
   */
  public void awaitHealthy(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    String last = "";
    while (System.nanoTime() < deadline) {
      List<String> down = new ArrayList<>();
      for (int i = 1; i <= size(); i++) {
        if (member(i).isOutOfCluster()) {
          down.add(member(i).spec().name() + " (removed from the cluster)");
          continue;
        }
        Integer exit = member(i).exitCode();
        if (exit != null) {
          throw new IllegalStateException("member " + member(i).spec().name() + " exited by itself with code " + exit
              + " (see its log)");
        }
        if (status(i).isEmpty()) {
          down.add(member(i).spec().name());
        }
      }
      if (down.isEmpty() && leader().isPresent()) {
        return;
      }
      last = down.isEmpty() ? "no leader" : "not answering: " + down;
      Thread.sleep(200);
    }
    throw new IllegalStateException("cluster not healthy after " + timeoutMillis + " ms (" + last + ")");
  }

  /** HashKV of member {@code i} at {@code revision}, or empty when it does not answer. */
  public Optional<HashKVResponse> hashKv(int i, long revision) {
    try {
      return Optional.of(admin.get(i - 1).maintenance(5000).hashKV(HashKVRequest.newBuilder().setRevision(revision).build()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Sets the delay member {@code i}'s proxy adds to every byte to and from its peer port. */
  public void setPeerDelay(int i, long millis) {
    if (delayFiles.isEmpty()) {
      throw new IllegalStateException("the cluster was started without delay proxies");
    }
    writeAtomically(delayFiles.get(i - 1), Long.toString(millis));
  }

  public boolean hasDelayProxies() {
    return !delayFiles.isEmpty();
  }

  /** Writes {@code offset} (libfaketime syntax, e.g. "+30", "-5") into member {@code i}'s clock file. */
  public void setClockOffset(int i, String offset) {
    if (clockFiles.isEmpty()) {
      throw new IllegalStateException("the cluster was started without libfaketime");
    }
    writeAtomically(clockFiles.get(i - 1), offset);
  }

  private static void writeAtomically(Path file, String line) {
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temp, line + "\n");
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stopAndRemove() {
    List<MemberProcess> all = new ArrayList<>(members);
    all.addAll(proxies);
    for (MemberProcess m : all) {
      try {
        m.stop();
      } catch (RuntimeException e) {
        // keep stopping the others; the namespace deletion below is what matters most
      }
    }
    admin.forEach(EtcdConnection::close);
    lab.close();
  }

  @Override
  public void close() {
    stopAndRemove();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or ran already
    }
  }
}
