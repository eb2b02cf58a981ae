package io.cairn.server.member;

import io.cairn.raft.ConfState;

/**
 * This member's view of raft, for Maintenance.Status, response headers and health: a consistent
 * picture as of the last raft batch (applied index as of the last applied entry).
 *
 * @param leaderId the known leader, 0 if none
 */
public record MemberStatus(long memberId, long clusterId, long leaderId, long term, long commitIndex,
    long appliedIndex, long lastIndex, ConfState confState) {
  public boolean hasLeader() {
    return leaderId != 0;
  }

  public boolean isLeader() {
    return leaderId == memberId;
  }

  public boolean isLearner() {
    return confState.learners().contains(memberId);
  }
}
