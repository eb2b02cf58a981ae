package io.cairn.server.member;

import io.cairn.raft.ConfState;

/**
 * What client-facing code may know of raft: published by the raft loop after every batch as one
 * immutable value, read by any thread without touching the raft core.
 */
final class RaftStatusView {
  /** A consistent picture of raft after one batch. leaderId 0 means no known leader. */
  record Snapshot(long leaderId, long term, long commitIndex, long lastIndex, ConfState confState) {}

  private volatile Snapshot current;

  RaftStatusView(ConfState initial) {
    this.current = new Snapshot(0, 0, 0, 0, initial);
  }

  void publish(Snapshot snapshot) {
    current = snapshot;
  }

  Snapshot current() {
    return current;
  }
}
