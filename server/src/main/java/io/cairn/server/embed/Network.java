package io.cairn.server.embed;

import io.cairn.server.peer.PeerFaults;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated network between an embedded cluster's members: which directions are cut and
 * which are slow. Changes take effect for the next message received.
 */
final class Network implements PeerFaults {
  private record Link(long from, long to) {}

  private final Set<Link> cut = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> slowMembers = new ConcurrentHashMap<>();

  void cut(long from, long to) {
    cut.add(new Link(from, to));
  }

  void slow(long member, long delayMillis) {
    slowMembers.put(member, delayMillis);
  }

  void heal() {
    cut.clear();
    slowMembers.clear();
  }

  @Override
  public boolean drop(long from, long to) {
    return cut.contains(new Link(from, to));
  }

  @Override
  public long delayMillis(long from, long to) {
    return Math.max(slowMembers.getOrDefault(from, 0L), slowMembers.getOrDefault(to, 0L));
  }
}
