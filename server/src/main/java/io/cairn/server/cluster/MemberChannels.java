package io.cairn.server.cluster;

import io.cairn.api.EtcdError;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.grpc.ManagedChannel;
import io.cairn.server.tls.Dialer;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Channels from this member to other members, for the calls one member sends on to another
 * outside raft (lease keep-alives to the leader's client listener, membership changes to the
 * leader's peer listener). A member is looked up by id in the applied membership and reached at
 * the first of the URLs {@code urls} picks from it. One channel per target is kept open and reused
 * until {@link #close()}.
 */
public final class MemberChannels implements AutoCloseable {
  private final Supplier<ClusterMembers> members;
  /** Which of a member's URLs to dial: its peer URLs or its client URLs. */
  private final Function<MemberAttributes, List<String>> urls;
  /** Opens channels: TLS to an https:// URL. */
  private final Dialer dialer;
  /** Open channels by URL "scheme://host:port". Guarded by this. */
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private boolean closed;

  public MemberChannels(Supplier<ClusterMembers> members, Function<MemberAttributes, List<String>> urls,
      Dialer dialer) {
    this.dialer = dialer;
    this.members = members;
    this.urls = urls;
  }

  /**
   * A channel to member {@code id}; {@link EtcdError#NO_LEADER} when it is not (or no longer) a
   * member or has no such URL yet (the client retries, as with any leader-less moment).
   */
  public synchronized ManagedChannel to(long id) {
    if (closed) {
      throw EtcdError.STOPPED.exception();
    }
    for (MemberAttributes m : members.get().getMembersList()) {
      List<String> candidates = urls.apply(m);
      if (m.getId() == id && !candidates.isEmpty()) {
        URI url = URI.create(candidates.get(0));
        return channels.computeIfAbsent(url.getScheme() + "://" + url.getHost() + ":" + url.getPort(),
            target -> dialer.channelTo(url).build());
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
