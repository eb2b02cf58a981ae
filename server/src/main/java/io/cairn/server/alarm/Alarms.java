package io.cairn.server.alarm;

import io.cairn.api.etcdserverpb.AlarmMember;
import io.cairn.api.etcdserverpb.AlarmType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's active alarms, as etcd's Maintenance.Alarm lists them. Only NOSPACE is raised:
 * while it is active the member refuses new data (Put, Txn with a put, LeaseGrant) with "etcdserver:
 * mvcc: database space exceeded", and serves reads, deletes and compaction, as etcd does.
 *
 * <p>Unlike etcd, where an alarm is a raft entry and every member refuses writes once any member
 * raised it, Cairn's alarms are local to the member that raised them: a member whose own disk fills
 * refuses writes sent to it, but writes through other members still reach its log (and it stops if
 * its WAL cannot grow). Like etcd, an alarm stays until it is disarmed ({@code etcdctl alarm
 * disarm}); it is raised again at the next check if the space is still short. Thread-safe.
 */
public final class Alarms {
  private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);

  private final long memberId;
  private final Map<AlarmType, String> active = new EnumMap<>(AlarmType.class);

  public Alarms(long memberId) {
    this.memberId = memberId;
  }

  /** Raises {@code type} (logging {@code reason} once, when it becomes active); true if it was not active. */
  public boolean raise(AlarmType type, String reason) {
    synchronized (active) {
      if (active.containsKey(type)) {
        return false;
      }
      active.put(type, reason);
    }
    LOG.error("alarm {} raised on member {}: {}; Put, Txn with puts and LeaseGrant now fail with "
        + "\"database space exceeded\" until space is freed and the alarm disarmed (etcdctl alarm disarm)",
        type, Long.toHexString(memberId), reason);
    return true;
  }

  /** Clears {@code type} ({@link AlarmType#NONE}: every alarm); returns the alarms it cleared. */
  public List<AlarmMember> disarm(AlarmType type) {
    List<AlarmMember> cleared = new ArrayList<>();
    synchronized (active) {
      for (AlarmType t : List.copyOf(active.keySet())) {
        if (type == AlarmType.NONE || t == type) {
          active.remove(t);
          cleared.add(member(t));
        }
      }
    }
    if (!cleared.isEmpty()) {
      LOG.info("alarm {} disarmed on member {}", type, Long.toHexString(memberId));
    }
    return cleared;
  }

  public boolean isActive(AlarmType type) {
    synchronized (active) {
      return active.containsKey(type);
    }
  }

  /** The active alarms, as AlarmResponse lists them. */
  public List<AlarmMember> list() {
    synchronized (active) {
      return active.keySet().stream().map(this::member).toList();
    }
  }

  /** etcd's Status.errors entries: {@code "memberID:<decimal id> alarm:NOSPACE "}. */
  public List<String> statusErrors() {
    return list().stream().map(a -> "memberID:" + Long.toUnsignedString(a.getMemberID()) + " alarm:" + a.getAlarm() + " ")
        .toList();
  }

  private AlarmMember member(AlarmType type) {
    return AlarmMember.newBuilder().setMemberID(memberId).setAlarm(type).build();
  }
}
