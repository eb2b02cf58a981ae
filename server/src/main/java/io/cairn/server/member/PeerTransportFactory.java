package io.cairn.server.member;

import io.cairn.server.internal.ClusterMembers;

/** Builds the peer transport once the member knows its id and the cluster's members. */
@FunctionalInterface
public interface PeerTransportFactory {
  PeerTransport create(long memberId, ClusterMembers members);
}
