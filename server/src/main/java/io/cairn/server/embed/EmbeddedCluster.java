package io.cairn.server.embed;

import io.cairn.server.faults.FaultHooks;
import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.Member;
import io.cairn.api.etcdserverpb.MemberAddRequest;
import io.cairn.api.etcdserverpb.MemberAddResponse;
import io.cairn.api.etcdserverpb.MemberRemoveRequest;
import io.cairn.api.etcdserverpb.MemberUpdateRequest;
import io.cairn.server.CairnServer;
import io.cairn.server.config.InitialClusterState;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.member.MemberStatus;
import io.grpc.ManagedChannel;
import io.cairn.server.config.TlsSettings;
import io.cairn.server.tls.MemberTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

  /**
   * One slot per member ever started or added, in order; a slot keeps its index for the life of
   * the cluster (a removed member's slot stays, stopped). Slots are only appended.
   */
  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  private final Network network = new Network();
  /** Configuration of a member named {@code name} on the given client and peer URLs. */
  private final MemberTemplate template;
  /** "https" or "http" for client and peer URLs: https when that side has TLS. */
  private final String clientScheme;
  private final String peerScheme;

  /** A member's fixed configuration and its running server (null when stopped); changed under the slot's lock. */
  private static final class Slot {
    /** Replaced only by {@link #movePeerUrl}, while the member is stopped. */
    volatile ServerConfig config;
    final AtomicReference<CairnServer> server = new AtomicReference<>();
    final AtomicLong memberId = new AtomicLong();

    Slot(ServerConfig config) {
      this.config = config;
    }
  }

  @FunctionalInterface
  private interface MemberTemplate {
    ServerConfig.Builder configure(String name, URI client, URI peer);
  }

  private EmbeddedCluster(List<ServerConfig> configs, MemberTemplate template, String clientScheme,
      String peerScheme) {
    this.template = template;
    this.clientScheme = clientScheme;
    this.peerScheme = peerScheme;
    configs.forEach(c -> slots.add(new Slot(c)));
  }

  public static Builder builder(int members) {
    return new Builder(members);
  }

  /** Members ever started or added (removed ones keep their index). */
  public int size() {
    return slots.size();
  }

  public ServerConfig config(int index) {
    return slots.get(index).config;
  }

  /** The running member at {@code index}, or null if stopped. */
  public CairnServer member(int index) {
    return slots.get(index).server.get();
  }

  /** {@code host:port} of a member's client listener. */
  public String clientEndpoint(int index) {
    URI url = config(index).listenClientUrls().get(0);
    return url.getHost() + ":" + url.getPort();
  }

  /** Comma-separated client URLs of all members, as etcdctl's {@code --endpoints} takes them. */
  public String clientEndpoints() {
    List<String> urls = new ArrayList<>();
    for (Slot slot : slots) {
      urls.add(slot.config.advertiseClientUrls().get(0).toString());
    }
    return String.join(",", urls);
  }

  /**
   * Starts a stopped member (same data directory: a restart). A member the cluster removes stops
   * by itself and its slot shows it stopped.
   */
  public void start(int index) {
    Slot slot = slots.get(index);
    synchronized (slot) {
      if (slot.server.get() == null) {
        CairnServer server = CairnServer.start(slot.config, (what, cause) -> {
          // An embedded member that hits a fatal error stops; the test sees it as stopped.
          LOG.error("member {} hit a fatal error and stops: {}", slot.config.name(), what, cause);
          new Thread(() -> stop(index), "cairn-embedded-stop").start();
        }, network, FaultHooks.NONE);
        slot.memberId.set(server.member().memberId());
        slot.server.set(server);
        server.removed().thenRun(() -> slot.server.compareAndSet(server, null));
      }
    }
  }

  /**
   * Adds a member to the running cluster as {@code etcdctl member add} does (through a running
   * member's Cluster service) and prepares its configuration to join with
   * {@code --initial-cluster-state existing}; returns its index. It is not started: call
   * {@link #start(int)}, which joins it.
   */
  public int addMember(boolean learner) {
    int[] ports = LoopbackPorts.take(2);
    URI client = URI.create(clientScheme + "://127.0.0.1:" + ports[0]);
    URI peer = URI.create(peerScheme + "://127.0.0.1:" + ports[1]);
    String name = "m" + size();
    MemberAddResponse added = withClusterClient(stub -> stub.memberAdd(MemberAddRequest.newBuilder()
        .addPeerURLs(peer.toString()).setIsLearner(learner).build()));
    // What etcdctl prints as ETCD_INITIAL_CLUSTER: every member's name (the new one's too) and peer URLs.
    Map<String, List<URI>> initial = new LinkedHashMap<>();
    for (Member m : added.getMembersList()) {
      String memberName = m.getID() == added.getMember().getID() ? name : m.getName();
      for (String url : m.getPeerURLsList()) {
        initial.computeIfAbsent(memberName, n -> new ArrayList<>()).add(URI.create(url));
      }
    }
    ServerConfig config = template.configure(name, client, peer)
        .initialCluster(initial)
        .initialClusterState(InitialClusterState.EXISTING)
        .build();
    Slot slot = new Slot(config);
    slot.memberId.set(added.getMember().getID()); // known from the add: faults can be set before it starts
    slots.add(slot);
    return slots.size() - 1;
  }

  /**
   * Removes member {@code index} from the cluster through another running member's Cluster
   * service; the removed member stops by itself once it learns of its removal.
   */
  public void removeMember(int index) {
    long id = idOf(index);
    withClusterClient(stub -> stub.memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()));
  }

  /**
   * Gives member {@code index} a new peer URL as an operator would: {@code etcdctl member update}
   * through another member, then a restart of the member listening on the new URL (its data
   * directory kept). Returns the new URL.
   */
  public URI movePeerUrl(int index) {
    Slot slot = slots.get(index);
    long id = idOf(index);
    URI peer = URI.create(peerScheme + "://127.0.0.1:" + LoopbackPorts.take(1)[0]);
    withClusterClient(stub -> stub.memberUpdate(MemberUpdateRequest.newBuilder().setID(id)
        .addPeerURLs(peer.toString()).build()));
    stop(index);
    synchronized (slot) {
      // etcd checks the flags even on a restart: the member's --initial-cluster entry moves too.
      Map<String, List<URI>> initial = new LinkedHashMap<>(slot.config.initialCluster());
      initial.put(slot.config.name(), List.of(peer));
      slot.config = template.configure(slot.config.name(), slot.config.listenClientUrls().get(0), peer)
          .initialCluster(initial).initialClusterState(slot.config.initialClusterState()).build();
    }
    start(index);
    return peer;
  }

  /** Calls the Cluster service of the first running member (etcdctl with every endpoint). */
  private <T> T withClusterClient(Function<ClusterGrpc.ClusterBlockingStub, T> call) {
    for (int i = 0; i < size(); i++) {
      if (member(i) != null) {
        // With client TLS, the member's own client certificate (or its auto-TLS one) is shown.
        ManagedChannel channel = MemberTls.open(config(i)).clientDialer()
            .channelTo(config(i).listenClientUrls().get(0)).build();
        try {
          return call.apply(ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
        } finally {
          channel.shutdownNow();
        }
      }
    }
    throw new IllegalStateException("no member is running");
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

  /** The id of member {@code index} (known once it started). */
  public long idOf(int index) {
    long id = slots.get(index).memberId.get();
    if (id == 0) {
      throw new IllegalStateException("member " + index + " has not been started yet");
    }
    return id;
  }

  /** Stops a member (a clean shutdown; its data directory stays for a restart). */
  public void stop(int index) {
    Slot slot = slots.get(index);
    synchronized (slot) {
      CairnServer s = slot.server.getAndSet(null);
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
    return awaitLeaderAmong(IntStream.range(0, size()).boxed().toList(), timeout);
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
      CairnServer s = member(i);
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
      CairnServer s = member(i);
      if (s != null && s.member().memberId() == leaderId) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    for (int i = 0; i < size(); i++) {
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
    private TlsSettings clientTls = TlsSettings.NONE;
    private TlsSettings peerTls = TlsSettings.builder("peer-").build();

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
    /**
     * TLS for clients and for peers (every member serves the same key pair, or auto-TLS); a side
     * with a key pair or auto-TLS listens on {@code https://} URLs.
     */
    public Builder tls(TlsSettings client, TlsSettings peer) {
      this.clientTls = client;
      this.peerTls = peer;
      return this;
    }

    /** Last word on each member's configuration. */
    public Builder customize(Consumer<ServerConfig.Builder> c) { this.customizer = c; return this; }

    /** Starts every member; returns once all listen (a leader may not be elected yet). */
    public EmbeddedCluster start() {
      Path base = dataDir;
      try {
        if (base == null) {
          base = Files.createTempDirectory("cairn-embedded");
        }
        String clientScheme = clientTls.hasKeyPair() || clientTls.autoTls() ? "https" : "http";
        String peerScheme = peerTls.hasKeyPair() || peerTls.autoTls() ? "https" : "http";
        int[] ports = LoopbackPorts.take(2 * members);
        Map<String, List<URI>> initial = new LinkedHashMap<>();
        for (int i = 0; i < members; i++) {
          initial.put("m" + i, List.of(URI.create(peerScheme + "://127.0.0.1:" + ports[2 * i + 1])));
        }
        Path dirs = base;
        MemberTemplate template = (name, client, peer) -> {
          ServerConfig.Builder b = ServerConfig.builder()
              .name(name)
              .dataDir(dirs.resolve(name))
              .listenClientUrls(List.of(client))
              .advertiseClientUrls(List.of(client))
              .listenPeerUrls(List.of(peer))
              .initialAdvertisePeerUrls(List.of(peer))
              .initialCluster(initial)
              .initialClusterToken(token)
              .heartbeatInterval(heartbeat)
              .electionTimeout(electionTimeout)
              .snapshotCount(snapshotCount)
              .walSegmentBytes(4L * 1024 * 1024)
              .clientTls(clientTls)
              .peerTls(peerTls);
          customizer.accept(b);
          return b;
        };
        List<ServerConfig> configs = new ArrayList<>();
        for (int i = 0; i < members; i++) {
          configs.add(template.configure("m" + i, URI.create(clientScheme + "://127.0.0.1:" + ports[2 * i]),
              URI.create(peerScheme + "://127.0.0.1:" + ports[2 * i + 1])).build());
        }
        EmbeddedCluster cluster = new EmbeddedCluster(List.copyOf(configs), template, clientScheme, peerScheme);
        // Members start in parallel: each spends most of its start opening storage.
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (int i = 0; i < members; i++) {
          int index = i;
          starting.add(CompletableFuture.runAsync(() -> cluster.start(index)));
        }
        try {
          CompletableFuture.allOf(starting.toArray(new CompletableFuture[0]))
              .join();
        } catch (CompletionException e) {
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
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
