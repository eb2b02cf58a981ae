package io.cairn.server;

import io.cairn.server.config.ServerConfig;
import io.cairn.server.grpc.ClientServer;
import io.cairn.server.grpc.ClusterService;
import io.cairn.server.grpc.HeaderFactory;
import io.cairn.server.grpc.KvService;
import io.cairn.server.grpc.LearnerGuard;
import io.cairn.server.grpc.MaintenanceService;
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
import io.cairn.server.metrics.MemberMetrics;
import io.cairn.server.metrics.MetricsServer;
import io.cairn.server.peer.PeerFaults;
import io.cairn.server.peer.PeerMembersClient;
import io.cairn.server.peer.PeerNetwork;
import io.cairn.server.tls.MemberTls;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
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
  /** Completed once this member learned it was removed from the cluster and stopped serving. */
  private final CompletableFuture<Void> removed = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private CairnServer(ServerConfig config, MvccStore store, Member member, PeerNetwork peers,
      ClientServer clients, MetricsServer metrics, ExecutorService reads, AttributePublisher publisher,
      LeaseAndWatch leaseAndWatch, ClusterService cluster) {
    this.cluster = cluster;
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

  /** Opens the data directory and starts serving; returns once the listeners are bound. */
  public static CairnServer start(ServerConfig config, FatalErrorHandler fatal) {
    return start(config, fatal, PeerFaults.NONE);
  }

  /** As {@link #start(ServerConfig, FatalErrorHandler)}, with failure injection on peer traffic (tests). */
  public static CairnServer start(ServerConfig config, FatalErrorHandler fatal, PeerFaults faults) {
    MvccStore store = MvccStore.open(config.backendDir(),
        MvccOptions.defaults().withDurability(MvccOptions.Durability.RAFT_LOG));
    try {
      LeaseAndWatch leaseAndWatch = LeaseAndWatch.open(config, store);
      KvStateMachine stateMachine = new KvStateMachine(store, leaseAndWatch.lessor(), config.maxTxnOps());
      leaseAndWatch.listenTo(stateMachine);
      MemberTls tls = MemberTls.open(config);
      PeerNetwork peers = PeerNetwork.create(config, faults, tls);
      Member member = MemberBootstrap.start(config, stateMachine, peers::transportFor,
          urls -> PeerMembersClient.fetch(urls, config.electionTimeout().multipliedBy(5), tls.peerDialer()), fatal);
      MembershipChanges changes = new MembershipChanges(member, stateMachine::members, peers.activity(),
          config.strictReconfigCheck(), config.initialClusterToken(), Clock.systemUTC());
      ClusterService cluster = new ClusterService(member, changes, stateMachine::members, store,
          new HeaderFactory(member), MemberOptions.from(config).requestTimeout(), tls.peerDialer());
      peers.serve(member, stateMachine::members, cluster.bindable());
      AttributePublisher publisher = new AttributePublisher(member, stateMachine::members, config.name(),
          config.advertiseClientUrls().stream().map(Object::toString).toList());
      publisher.start();
      HeaderFactory headers = new HeaderFactory(member);
      ExecutorService reads = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
          daemonThreads("cairn-read"));
      List<BindableService> services = new ArrayList<>(List.of(
          new KvService(member, store, stateMachine.kv(), headers, reads, config.maxTxnOps(), stateMachine::compactionDone),
          new MaintenanceService(member, store, headers),
          cluster.bindable()));
      services.addAll(leaseAndWatch.startServices(member, headers, stateMachine::members, reads, tls.clientDialer()));
      LearnerGuard learnerGuard = new LearnerGuard(member);
      services.replaceAll(service -> {
        ServerServiceDefinition guarded = ServerInterceptors.intercept(service, learnerGuard);
        return () -> guarded;
      });
      ClientServer clients = ClientServer.start(config.listenClientUrls(), config.maxRequestBytes(),
          new RequireLeaderInterceptor(member), services, tls.clientListeners());
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      MemberMetrics.bind(registry, member, store);
      List<URI> httpUrls = new ArrayList<>(config.listenMetricsUrls());
      httpUrls.addAll(config.listenClientHttpUrls());
      MetricsServer metrics = MetricsServer.start(httpUrls, registry, member, tls.clientHttps());
      LOG.info("cairn member {} serving clients on {}", config.name(), clients.addresses());
      CairnServer server = new CairnServer(config, store, member, peers, clients, metrics, reads, publisher,
          leaseAndWatch, cluster);
      server.stopWhenRemoved(stateMachine, peers);
      return server;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
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
    leaseAndWatch.close();
    clients.close();
    cluster.close();
    metrics.close();
    member.close();
    peers.close();
    reads.shutdown();
    try {
      reads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
