package io.cairn.server.peer;

import io.cairn.server.config.ServerConfig;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.RaftPeerGrpc;
import io.cairn.server.member.Member;
import io.cairn.server.member.PeerActivity;
import io.cairn.server.member.PeerTransport;
import io.cairn.server.member.SnapshotDirectory;
import io.cairn.server.tls.MemberTls;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * The member's side of the peer network: the listener on {@code --listen-peer-urls} receiving raft
 * messages, and the transport sending them.
 */
public final class PeerNetwork implements AutoCloseable {
  private final ServerConfig config;
  private final PeerFaults faults;
  /** TLS of the peer listeners and of the channels to other members' peer URLs. */
  private final MemberTls tls;
  private final List<Server> servers = new ArrayList<>();
  private final ScheduledExecutorService delayed;
  /** Where incoming snapshot streams write their files, off the transport threads. */
  private final ExecutorService snapshotIo;
  private GrpcPeerTransport transport;
  /** Peers heard from within etcd's health interval, for the strict reconfiguration check. */
  private final PeerActivityTracker activity;

  private PeerNetwork(ServerConfig config, PeerFaults faults, MemberTls tls) {
    this.config = config;
    this.tls = tls;
    this.faults = faults;
    // etcd's HealthInterval is 5 s at its default 1 s election timeout; scaled with the timeout
    // so that fast test clusters see a member down in proportionate time.
    this.activity = new PeerActivityTracker(config.electionTimeout().multipliedBy(5));
    this.snapshotIo = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cairn-snapshot-receive");
      t.setDaemon(true);
      return t;
    });
    this.delayed = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-peer-delay");
      t.setDaemon(true);
      return t;
    });
  }

  public static PeerNetwork create(ServerConfig config, PeerFaults faults, MemberTls tls) {
    return new PeerNetwork(config, faults, tls);
  }

  /** The transport for the member once its id and the members are known. */
  public PeerTransport transportFor(long memberId, long clusterId, Supplier<ClusterMembers> members) {
    transport = new GrpcPeerTransport(members, memberId, clusterId, tls.peerDialer());
    return transport;
  }

  /**
   * Starts receiving raft messages for {@code member}; the peer listener also serves
   * {@code memberToMember} (the Cluster service, for calls a follower sends on to the leader).
   */
  public void serve(Member member, Supplier<ClusterMembers> members, BindableService... memberToMember) {
    transport.onUnreachable(member::reportUnreachable);
    SnapshotDirectory snapshotDirectory = SnapshotDirectory.of(config.dataDir());
    transport.sendSnapshotsWith(new SnapshotSender(member.clusterId(), new SnapshotSender.SnapshotSource() {
      @Override
      public void checkpoint(Path dir) {
        member.checkpoint(dir);
      }

      @Override
      public void reportSnapshot(long peer, boolean success) {
        member.reportSnapshot(peer, success);
      }
    }, snapshotDirectory, tls.peerDialer()));
    LongPredicate removed = id -> members.get().getRemovedIdsList().contains(id);
    SnapshotReceiver snapshots = new SnapshotReceiver(member.memberId(), member.clusterId(), member::receive,
        removed, from -> faults.drop(from, member.memberId()), snapshotDirectory);
    RaftPeerService service = new RaftPeerService(member, removed, faults, delayed, snapshots, members, activity);
    try {
      for (URI url : config.listenPeerUrls()) {
        NettyServerBuilder builder = tls.peerListeners().secure(url,
                NettyServerBuilder.forAddress(new InetSocketAddress(url.getHost(), url.getPort())))
            .maxInboundMessageSize(GrpcPeerTransport.MAX_MESSAGE_BYTES)
            .permitKeepAliveWithoutCalls(true)
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            // Raft messages are handed to the member's queue right on the transport thread: a hop
            // through an executor costs a thread wake-up on every message of the write path.
            // Snapshot streams write files, so they keep an executor of their own.
            .directExecutor()
            .callExecutor(new ServerCallExecutorSupplier() {
              @Override
              public <Q, R> Executor getExecutor(ServerCall<Q, R> call,
                  Metadata headers) {
                // Snapshot streams and the member-to-member Cluster calls run off the transport thread.
                String method = call.getMethodDescriptor().getFullMethodName();
                return method.equals(RaftPeerGrpc.getSendSnapshotMethod().getFullMethodName())
                    || !call.getMethodDescriptor().getServiceName().equals(RaftPeerGrpc.SERVICE_NAME)
                    ? snapshotIo : null;
              }
            })
            .addService(service);
        for (BindableService extra : memberToMember) {
          builder.addService(extra);
        }
        servers.add(builder.build().start());
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot listen for peers on " + config.listenPeerUrls(), e);
    }
  }


  /** The applied membership changed: streams to changed peer URLs are reopened. */
  public void membershipChanged() {
    if (transport != null) {
      transport.membershipChanged();
    }
  }

  /** {@code listener} runs when a peer refuses this member's traffic because it was removed. */
  public void onRemovedByPeer(Runnable listener) {
    transport.onRemoved(listener);
  }

  /** Which peers were heard from lately (meaningful on the leader, which hears from everyone). */
  public PeerActivity activity() {
    return activity;
  }

  @Override
  public void close() {
    delayed.shutdownNow();
    snapshotIo.shutdownNow();
    servers.forEach(Server::shutdownNow);
    servers.clear();
    if (transport != null) {
      transport.close();
    }
  }
}
