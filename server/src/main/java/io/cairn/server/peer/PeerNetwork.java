package io.cairn.server.peer;

import io.cairn.server.config.ServerConfig;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.member.Member;
import io.cairn.server.member.PeerTransport;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The member's side of the peer network: the listener on {@code --listen-peer-urls} receiving raft
 * messages, and the transport sending them.
 */
public final class PeerNetwork implements AutoCloseable {
  private final ServerConfig config;
  private final List<Server> servers = new ArrayList<>();
  private GrpcPeerTransport transport;

  private PeerNetwork(ServerConfig config) {
    this.config = config;
  }

  public static PeerNetwork create(ServerConfig config) {
    return new PeerNetwork(config);
  }

  /** The transport for the member once its id and the members are known. */
  public PeerTransport transportFor(long memberId, ClusterMembers members) {
    transport = new GrpcPeerTransport(members, memberId);
    return transport;
  }

  /** Starts receiving raft messages for {@code member}. */
  public void serve(Member member, Supplier<ClusterMembers> members) {
    transport.onUnreachable(member::reportUnreachable);
    RaftPeerService service = new RaftPeerService(member,
        id -> members.get().getRemovedIdsList().contains(id));
    try {
      for (URI url : config.listenPeerUrls()) {
        servers.add(NettyServerBuilder.forAddress(new InetSocketAddress(url.getHost(), url.getPort()))
            .maxInboundMessageSize(GrpcPeerTransport.MAX_MESSAGE_BYTES)
            .permitKeepAliveWithoutCalls(true)
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .addService(service)
            .build()
            .start());
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot listen for peers on " + config.listenPeerUrls(), e);
    }
  }

  /** Membership changed: tell the transport where peers are now. */
  public void membersChanged(ClusterMembers members) {
    if (transport != null) {
      transport.updateMembers(members);
    }
  }

  @Override
  public void close() {
    servers.forEach(Server::shutdownNow);
    servers.clear();
    if (transport != null) {
      transport.close();
    }
  }
}
