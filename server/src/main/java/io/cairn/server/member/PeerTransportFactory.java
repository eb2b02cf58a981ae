package io.cairn.server.member;

import io.cairn.server.internal.ClusterMembers;
import java.util.function.Supplier;

/**
 * Builds the peer transport once the member knows its and its cluster's ids. {@code members} is the live, applied
 * membership: the transport looks peers' URLs up in it whenever it needs them.
 */
@FunctionalInterface
public interface PeerTransportFactory {
  PeerTransport create(long memberId, long clusterId, Supplier<ClusterMembers> members);
}
