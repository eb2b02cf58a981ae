package io.cairn.server.member;

import io.cairn.server.config.ServerConfig;
import java.time.Duration;

/**
 * The part of the configuration the member's raft machinery uses.
 *
 * @param tickInterval one raft tick (etcd's heartbeat interval)
 * @param electionTicks ticks in an election timeout
 * @param requestTimeout how long a client write or linearizable read may wait before it fails
 *     with "request timed out" (etcd: 5 s + 2 × election timeout)
 */
public record MemberOptions(Duration tickInterval, int electionTicks, boolean preVote, long snapshotCount,
    int maxRequestBytes, Duration requestTimeout) {

  public static MemberOptions from(ServerConfig config) {
    return new MemberOptions(config.heartbeatInterval(), config.electionTicks(), config.preVote(),
        config.snapshotCount(), config.maxRequestBytes(),
        Duration.ofSeconds(5).plus(config.electionTimeout().multipliedBy(2)));
  }
}
