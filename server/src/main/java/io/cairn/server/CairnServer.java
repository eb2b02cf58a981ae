package io.cairn.server;

import io.cairn.server.alarm.Alarms;
import io.cairn.server.alarm.DiskFullFailure;
import io.cairn.server.alarm.SpaceMonitor;
import io.cairn.server.auth.AuthSubsystem;
import io.cairn.server.faults.FaultHooks;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.grpc.ClientServer;
import io.cairn.server.grpc.ClusterService;
import io.cairn.server.grpc.HeaderFactory;
import io.cairn.server.grpc.KvService;
import io.cairn.server.grpc.LearnerGuard;
import io.cairn.server.grpc.MaintenanceService;
import io.cairn.server.grpc.NoSpaceGuard;
import io.cairn.server.grpc.RequireLeaderInterceptor;
import io.cairn.server.lease.LeaseAndWatch;
import io.cairn.server.member.AttributePublisher;
import io.cairn.server.member.FatalErrorHandler;
import io.cairn.server.member.KvStateMachine;
import io.cairn.server.member.Member;
import io.cairn.server.member.MemberBootstrap;
import io.cairn.server.member.MemberOptions;
import io.cairn.server.member.MembershipChanges;
import io.cairn.server.member.PeerActivity;
import io.cairn.server.member.StartTimeline;
import io.cairn.server.metrics.MemberMetrics;
import io.cairn.server.metrics.MetricsServer;
import io.cairn.server.peer.PeerFaults;
import io.cairn.server.peer.PeerMembersClient;
import io.cairn.server.peer.PeerNetwork;
import io.cairn.server.tls.MemberTls;
import io.cairn.storage.disk.DiskBudget;
import io.cairn.storage.disk.FreeSpace;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Cairn member process, assembled: the MVCC store, the raft member driving it, the peer
 * network, the client gRPC listeners and the metrics listener. {@link Main} runs one from the
 * command line; tests and embedding code start them in-process.
 */
public final class CairnServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);

  private final ServerConfig config;
  private final MvccStore store;
  private final Member member;
  private final PeerNetwork peers;
  private final ClientServer clients;
  private final MetricsServer metrics;
  private final ExecutorService reads;
  private final AttributePublisher publisher;
  private final LeaseAndWatch leaseAndWatch;
  private final ClusterService cluster;
  private final PeerActivity peerActivity;
  private final Alarms alarms;
  private final SpaceMonitor spaceMonitor;
  private final AuthSubsystem auth;
  /** Completed once this member learned it was removed from the cluster and stopped serving. */
  private final CompletableFuture<Void> removed = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private CairnServer(ServerConfig config, MvccStore store, Member member, PeerNetwork peers,
      ClientServer clients, MetricsServer metrics, ExecutorService reads, AttributePublisher publisher,
      LeaseAndWatch leaseAndWatch, ClusterService cluster, Alarms alarms, SpaceMonitor spaceMonitor,
      AuthSubsystem auth) {
    this.cluster = cluster;
    this.alarms = alarms;
    this.spaceMonitor = spaceMonitor;
    this.auth = auth;
    this.peerActivity = peers.activity();
    this.publisher = publisher;
    this.leaseAndWatch = leaseAndWatch;
    this.config = config;
    this.store = store;
    this.member = member;
    this.peers = peers;
    this.clients = clients;
    this.metrics = metrics;
    this.reads = reads;
  }

  /**
   * Opens the data directory and starts serving; returns once the listeners are bound. Runs with the
   * {@link FaultHooks#discover() fault hooks on the class path}: none with the shipped jar.
   */
  public static CairnServer start(ServerConfig config, FatalErrorHandler fatal) {
    return start(config, fatal, PeerFaults.NONE, FaultHooks.discover());
  }

  /**
   * As {@link #start(ServerConfig, FatalErrorHandler)}, with failure injection on peer traffic and
   * deliberate misbehaviour of the member itself (tests).
   */
  public static CairnServer start(ServerConfig config, FatalErrorHandler fatal, PeerFaults faults,
      FaultHooks memberFaults) {
    return start(config, fatal, faults, memberFaults, FreeSpace.SYSTEM, StartTimeline.sinceNow());
  }

  /**
   * As {@link #start(ServerConfig, FatalErrorHandler, PeerFaults, FaultHooks)}, asking
   * {@code freeSpace} how much room the data volume has (tests pretend a disk is full or roomy),
   * and marking the steps of the start on {@code timeline} (its summary is logged once the member
   * has caught up with the leader). The WAL segments and RocksDB's buffers are sized from the free
   * space now ({@link DiskBudget}, logged in one line).
   */
  public static CairnServer start(ServerConfig configured, FatalErrorHandler fatalHandler, PeerFaults faults,
      FaultHooks memberFaults, FreeSpace freeSpace, StartTimeline timeline) {
    List<Path> directories = List.of(configured.walDir(), configured.backendDir());
    DiskBudget budget = DiskBudget.forFreeSpace(leastFree(freeSpace, directories), configured.walSegmentBytes(),
        MvccOptions.defaults().writeBufferBytes());
    LOG.info("data volume {}: {}", configured.dataDir(), budget.describe());
    ServerConfig config = configured.toBuilder().walSegmentBytes(budget.walSegmentBytes()).build();
    // The report of a full disk gives what the OS says, whatever the probe pretends.
    FatalErrorHandler fatal = new DiskFullFailure(fatalHandler, FreeSpace.SYSTEM, directories);
    MvccStore store = MvccStore.open(config.backendDir(),
        budget.applyTo(MvccOptions.defaults().withDurability(MvccOptions.Durability.RAFT_LOG)));
    timeline.mark(StartTimeline.Phase.STORE_OPENED);
    SpaceMonitor spaceMonitor = null;
    try {
      LeaseAndWatch leaseAndWatch = LeaseAndWatch.open(config, store, memberFaults);
      AuthSubsystem auth = AuthSubsystem.open(config.auth(), store, leaseAndWatch.lessor());
      KvStateMachine stateMachine = new KvStateMachine(store, leaseAndWatch.lessor(), config.maxTxnOps(), auth.store());
      leaseAndWatch.listenTo(stateMachine);
      MemberTls tls = MemberTls.open(config);
      PeerNetwork peers = PeerNetwork.create(config, faults, tls);
      Member member = MemberBootstrap.start(config, stateMachine, peers::transportFor,
          urls -> PeerMembersClient.fetch(urls, config.electionTimeout().multipliedBy(5), tls.peerDialer()), fatal,
          timeline, memberFaults);
      MembershipChanges changes = new MembershipChanges(member, stateMachine::members, peers.activity(),
          config.strictReconfigCheck(), config.initialClusterToken(), Clock.systemUTC());
      ClusterService cluster = new ClusterService(member, changes, stateMachine::members, store,
          new HeaderFactory(member), MemberOptions.from(config).requestTimeout(), tls.peerDialer());
      peers.serve(member, stateMachine::members, cluster.bindable());
      AttributePublisher publisher = new AttributePublisher(member, stateMachine::members, config.name(),
          config.advertiseClientUrls().stream().map(Object::toString).toList());
      publisher.start();
      HeaderFactory headers = new HeaderFactory(member);
      Alarms alarms = new Alarms(member.memberId());
      spaceMonitor = new SpaceMonitor(alarms, freeSpace, directories, budget.reserveBytes(),
          () -> store.size().dbSizeBytes(), config.quotaBackendBytes());
      spaceMonitor.start();
      ExecutorService reads = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
          daemonThreads("cairn-read"));
      List<BindableService> services = new ArrayList<>(List.of(
          new KvService(member, store, stateMachine.kv(), headers, reads, config.maxTxnOps(), stateMachine::compactionDone),
          new MaintenanceService(member, store, headers, alarms),
          cluster.bindable(),
          auth.service(member, headers)));
      services.addAll(leaseAndWatch.startServices(member, headers, stateMachine::members, reads, tls.clientDialer()));
      LearnerGuard learnerGuard = new LearnerGuard(member);
      NoSpaceGuard noSpaceGuard = new NoSpaceGuard(spaceMonitor);
      services.replaceAll(service -> {
        ServerServiceDefinition guarded = ServerInterceptors.intercept(service, auth.guard(), noSpaceGuard, learnerGuard);
        return () -> guarded;
      });
      ClientServer clients = ClientServer.start(config.listenClientUrls(), config.maxRequestBytes(),
          new RequireLeaderInterceptor(member), services, tls.clientListeners());
      timeline.mark(StartTimeline.Phase.SERVING);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      MemberMetrics.bind(registry, member, store);
      List<URI> httpUrls = new ArrayList<>(config.listenMetricsUrls());
      httpUrls.addAll(config.listenClientHttpUrls());
      MetricsServer metrics = MetricsServer.start(httpUrls, registry, member, tls.clientHttps());
      LOG.info("cairn member {} serving clients on {}", config.name(), clients.addresses());
      CairnServer server = new CairnServer(config, store, member, peers, clients, metrics, reads, publisher,
          leaseAndWatch, cluster, alarms, spaceMonitor, auth);
      server.stopWhenRemoved(stateMachine, peers);
      server.reportWhenCaughtUp(timeline);
      return server;
    } catch (RuntimeException e) {
      if (spaceMonitor != null) {
        spaceMonitor.close();
      }
      store.close();
      throw e;
    }
  }

  /** The smallest free space of the volumes holding {@code directories}; -1 if none could be asked. */
  private static long leastFree(FreeSpace freeSpace, List<Path> directories) {
    long least = -1;
    for (Path dir : directories) {
      long free = freeSpace.usableBytes(dir);
      if (free >= 0 && (least < 0 || free < least)) {
        least = free;
      }
    }
    return least;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * As etcd, a member removed from the cluster stops serving: when it applies its own removal, or
   * when a peer refuses its traffic as a removed member's (a removed follower may never see the
   * entry that removed it committed). Closing runs on a thread of its own, after the apply thread
   * has answered the removal's proposer.
   */
  private void stopWhenRemoved(KvStateMachine stateMachine, PeerNetwork peers) {
    long self = member.memberId();
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      Thread t = new Thread(() -> {
        LOG.warn("member {} was removed from the cluster and stops; its data directory {} must not be reused",
            Long.toHexString(self), config.dataDir());
        close();
        removed.complete(null);
      }, "cairn-removed");
      t.setDaemon(true);
      t.start();
    };
    stateMachine.addMembershipListener(members -> {
      peers.membershipChanged();
      if (members.getRemovedIdsList().contains(self)) {
        stop.run();
      }
    });
    peers.onRemovedByPeer(stop);
    if (stateMachine.members().getRemovedIdsList().contains(self)) {
      stop.run();
    }
  }

  /**
   * Logs the start breakdown once a linearizable read barrier passes here, which is when this
   * member serves up-to-date reads: it has heard from a leader, learnt its commit index and applied
   * up to it. A barrier that fails (no leader yet, timeout) is tried again until the server closes.
   */
  private void reportWhenCaughtUp(StartTimeline timeline) {
    member.linearizableReadBarrier().whenComplete((ok, error) -> {
      if (error == null) {
        timeline.mark(StartTimeline.Phase.CAUGHT_UP);
        LOG.info("{}", timeline.summary());
      } else if (!closed.get()) {
        reportWhenCaughtUp(timeline);
      }
    });
  }

  /** Which peers this member heard from lately (the strict reconfiguration check's view). */
  public PeerActivity peerActivity() {
    return peerActivity;
  }

  /** Completes once this member was removed from the cluster and has stopped. */
  public CompletableFuture<Void> removed() {
    return removed;
  }

  public ServerConfig config() {
    return config;
  }

  public Member member() {
    return member;
  }

  public MvccStore store() {
    return store;
  }

  /** This member's alarms (NOSPACE). */
  public Alarms alarms() {
    return alarms;
  }

  /** What raises NOSPACE; tests call {@link SpaceMonitor#check()} instead of waiting for its timer. */
  public SpaceMonitor spaceMonitor() {
    return spaceMonitor;
  }

  /** This member's lease and watch subsystems (tests look at their state). */
  public LeaseAndWatch leaseAndWatch() {
    return leaseAndWatch;
  }

  public List<InetSocketAddress> clientAddresses() {
    return clients.addresses();
  }

  /** Stops serving, then stops the member and closes the store. Safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    publisher.stop();
    spaceMonitor.close();
    leaseAndWatch.close();
    clients.close();
    cluster.close();
    metrics.close();
    member.close();
    peers.close();
    auth.close();
    reads.shutdown();
    try {
      reads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
