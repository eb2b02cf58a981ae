package io.cairn.server.member;

import io.cairn.server.internal.ClusterMembers;
import java.net.URI;
import java.util.List;

/**
 * Asks running members, over their peer URLs, for the cluster id and member list: how a member
 * joining with {@code --initial-cluster-state existing} learns its own id and its peers.
 */
@FunctionalInterface
public interface ClusterLookup {
  /**
   * @throws io.cairn.server.config.ConfigException when none of {@code peerUrls} answers
   */
  ClusterMembers members(List<URI> peerUrls);
}
