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
 * Channels to other members' client listeners, looked up by member id in the applied membership
 * (a member's client URLs are there once it published them). One channel per target is kept open
 * and reused until {@link #close()}.
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
   * A channel to member {@code id}'s first client URL; {@link EtcdError#NO_LEADER} when it has
   * published none yet (the client retries, as with any leader-less moment).
   */
  synchronized ManagedChannel to(long id) {
    if (closed) {
      throw EtcdError.STOPPED.exception();
    }
    for (MemberAttributes m : members.get().getMembersList()) {
      if (m.getId() == id && m.getClientUrlsCount() > 0) {
        URI url = URI.create(m.getClientUrls(0));
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
