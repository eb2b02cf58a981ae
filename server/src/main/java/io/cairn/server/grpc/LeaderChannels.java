package io.cairn.server.grpc;

import io.cairn.api.EtcdError;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Channels to other members' peer listeners, which also serve the Cluster service for calls one
 * member sends on to another. Looked up by member id in the applied membership: a member's peer
 * URLs are there from the moment it was added (its client URLs only once it published them, which
 * is why the peer port is used). One channel per target is kept open and reused until
 * {@link #close()}.
 */
final class LeaderChannels implements AutoCloseable {
  private final Supplier<ClusterMembers> members;
  /** Open channels by target "host:port". Guarded by this. */
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private boolean closed;

  LeaderChannels(Supplier<ClusterMembers> members) {
    this.members = members;
  }

  /**
   * A channel to member {@code id}'s first peer URL; {@link EtcdError#NO_LEADER} when it is not
   * (or no longer) a member (the client retries, as with any leader-less moment).
   */
  synchronized ManagedChannel to(long id) {
    if (closed) {
      throw EtcdError.STOPPED.exception();
    }
    for (MemberAttributes m : members.get().getMembersList()) {
      if (m.getId() == id && m.getPeerUrlsCount() > 0) {
        URI url = URI.create(m.getPeerUrls(0));
        return channels.computeIfAbsent(url.getHost() + ":" + url.getPort(),
            target -> NettyChannelBuilder.forTarget(target).usePlaintext().build());
      }
    }
    throw EtcdError.NO_LEADER.exception();
  }

  @Override
  public synchronized void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
