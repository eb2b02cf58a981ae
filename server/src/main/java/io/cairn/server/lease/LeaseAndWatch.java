package io.cairn.server.lease;

import io.cairn.server.faults.FaultHooks;
import io.cairn.server.tls.Dialer;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.grpc.HeaderFactory;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.member.KvStateMachine;
import io.cairn.server.member.Member;
import io.cairn.server.member.MemberOptions;
import io.cairn.server.watch.LeaderLossMonitor;
import io.cairn.server.watch.LeaderRequirement;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.WatchService;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The lease and watch subsystems of one member, assembled in the two steps the member's start
 * needs: the {@link Lessor} and {@link WatchHub} exist before the raft member starts applying
 * (the state machine feeds them every new revision); the services, the leader's expiry clock and
 * the leader-loss monitor start once the member runs.
 */
public final class LeaseAndWatch implements AutoCloseable {
  private final ServerConfig config;
  private final MvccStore store;
  private final Lessor lessor;
  private final WatchHub hub;
  /** Set once the member exists; the hub builds headers only for watchers, which come later. */
  private final AtomicReference<HeaderFactory> headers = new AtomicReference<>();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final FaultHooks faults;

  private LeaseAndWatch(ServerConfig config, MvccStore store, FaultHooks faults) {
    this.config = config;
    this.store = store;
    this.faults = faults;
    this.lessor = new Lessor(store, Lessor.minTtlSeconds(config.electionTimeout()), System::nanoTime, faults);
    this.hub = new WatchHub(store, this::header, config.watchProgressNotifyInterval());
  }

  /**
   * Loads the leases of {@code store}; call before the member starts.
   *
   * @param faults deliberate misbehaviour of a fault-injection run ({@link FaultHooks#NONE} otherwise)
   */
  public static LeaseAndWatch open(ServerConfig config, MvccStore store, FaultHooks faults) {
    return new LeaseAndWatch(config, store, faults);
  }

  private ResponseHeader header(long revision) {
    HeaderFactory h = headers.get();
    return h == null ? ResponseHeader.newBuilder().setRevision(revision).build() : h.header(revision);
  }

  public Lessor lessor() {
    return lessor;
  }

  public WatchHub hub() {
    return hub;
  }

  /** Feeds every revision {@code stateMachine} applies to the lessor and the watchers. */
  public void listenTo(KvStateMachine stateMachine) {
    stateMachine.addRevisionListener((revision, events) -> {
      if (!lessor.isEmpty()) {
        lessor.onRevision(events.get());
      }
    });
    stateMachine.addRevisionListener(hub::revisionApplied);
  }

  /**
   * Starts the leader's lease clock and the leader-loss monitor; returns the Lease and Watch
   * services to serve.
   *
   * @param reads executor for reads after a barrier (never the apply thread)
   */
  public List<BindableService> startServices(Member member, HeaderFactory headerFactory,
      Supplier<ClusterMembers> members, ExecutorService reads, Dialer clientDialer) {
    headers.set(headerFactory);
    ExecutorService sender = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cairn-watch-send");
      t.setDaemon(true);
      return t;
    });
    started.add(sender::shutdownNow);
    Duration requestTimeout = MemberOptions.from(config).requestTimeout();
    LeaderForwarder forwarder = new LeaderForwarder(members, requestTimeout, clientDialer);
    started.add(forwarder);
    started.add(LeaseExpiryLoop.start(member, lessor, config.electionTimeout()));
    LeaseService leaseService = new LeaseService(member, store, lessor, headerFactory, forwarder, reads, requestTimeout);
    started.add(LeaderLossMonitor.start(member, config.electionTimeout(),
        List.of(hub::abortLeaderRequiringStreams, leaseService::abortLeaderRequiringStreams)));
    LeaderRequirement requirement = new LeaderRequirement();
    ServerServiceDefinition watch = ServerInterceptors.intercept(
        new WatchService(hub, sender, config.maxRequestBytes(), faults), requirement);
    ServerServiceDefinition lease = ServerInterceptors.intercept(leaseService, requirement);
    return List.of(() -> watch, () -> lease);
  }

  /** Ends every watch stream and stops the clocks; call before the gRPC listeners close. */
  @Override
  public void close() {
    hub.close();
    for (AutoCloseable c : started) {
      try {
        c.close();
      } catch (Exception e) {
        // closing in-process resources; nothing to do about a failure here
      }
    }
  }
}
