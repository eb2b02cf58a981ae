package io.cairn.server.peer;

import io.cairn.server.member.PeerActivity;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each peer was last heard from on the raft message stream. A member that leads hears from
 * every live follower at each heartbeat, so "heard within the health interval" is what etcd's
 * strict reconfiguration check calls active.
 */
final class PeerActivityTracker implements PeerActivity {
  private final long windowNanos;
  /** System.nanoTime() of the last accepted envelope, by sender id. */
  private final ConcurrentHashMap<Long, Long> lastHeard = new ConcurrentHashMap<>();

  PeerActivityTracker(Duration window) {
    this.windowNanos = window.toNanos();
  }

  void heard(long from) {
    lastHeard.put(from, System.nanoTime());
  }

  @Override
  public boolean isActive(long id) {
    Long at = lastHeard.get(id);
    return at != null && System.nanoTime() - at <= windowNanos;
  }
}
