package io.cairn.server.lease;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeResponse;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.mvccpb.Event;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.server.internal.LeaseRecord;
import io.cairn.server.faults.FaultHooks;
import io.cairn.storage.kv.LeaseLookup;
import io.cairn.storage.mvcc.KeyRange;
import io.cairn.storage.mvcc.MetaKey;
import io.cairn.storage.mvcc.MvccStore;
import io.cairn.storage.mvcc.WriteTxn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The leases of one member: which exist (with their TTL), which keys are attached to each, and (on
 * the leader only) when each expires.
 *
 * <p>Why this split of state: grants and revokes are raft entries, so every member holds the same
 * leases; each grant is a meta record written in the same batch as its raft index, and the
 * attachment of a key is its {@code lease} field in the MVCC data, so both survive restarts and
 * snapshots without a separate log. Expiry times, like etcd's, live only in the leader's memory:
 * a new leader restarts every lease's clock at a full TTL ({@link #promote}) so that no lease
 * expires early because of a leader change; followers never expire anything ({@link #demote}).
 *
 * <p>Threading: the apply thread calls the apply methods; the gRPC services and the expiry loop
 * call the others. Every method synchronizes on this object.
 */
public final class Lessor implements LeaseLookup {
  /** etcd's MaxLeaseTTL: a longer TTL is refused with LEASE_TTL_TOO_LARGE. */
  public static final long MAX_TTL_SECONDS = 9_000_000_000L;
  static final String META_NAMESPACE = "lease";
  /** Expiry of a lease on a member that is not the leader: never. */
  private static final long NEVER = Long.MAX_VALUE;
  private static final int RELOAD_PAGE = 1000;

  private final MvccStore store;
  /** etcd's minimum TTL: ceil(1.5 election timeouts) in seconds; shorter grants are raised to it. */
  private final long minTtlSeconds;
  private final LongSupplier nanoClock;
  /** Every granted, not yet revoked lease by id. Guarded by this. */
  private final Map<Long, Lease> leases = new HashMap<>();
  /** Whether this member is the leader and tracks expiry. Guarded by this. */
  private boolean primary;

  /** A lease as this member knows it. Fields guarded by the enclosing Lessor. */
  static final class Lease {
    final long id;
    final long ttlSeconds;
    /** Keys whose live version carries this lease, in unsigned byte order (etcd revokes in key order). */
    final TreeSet<ByteString> keys = new TreeSet<>(ByteString.unsignedLexicographicalComparator());
    /** System.nanoTime() at which the lease expires; {@link #NEVER} unless this member is primary. */
    long expiresAtNanos = NEVER;
    /** nanoTime of the last revoke the leader proposed for it, 0 if none is in flight. */
    long revokeProposedAtNanos;

    Lease(long id, long ttlSeconds) {
      this.id = id;
      this.ttlSeconds = ttlSeconds;
    }
  }

  /** What TimeToLive reports: remaining and granted TTL in seconds, and the attached keys. */
  public record TimeToLive(long id, long remainingSeconds, long grantedSeconds, List<ByteString> keys) {}
  /** Deliberate misbehaviour of a fault-injection run; {@link FaultHooks#NONE} otherwise. */
  private final FaultHooks faults;

  /**
   * Loads the leases stored in {@code store} and re-attaches every live key that carries one.
   *
   * @param minTtlSeconds grants below this are raised to it (etcd: ceil(1.5 × election timeout))
   */
  public Lessor(MvccStore store, long minTtlSeconds, LongSupplier nanoClock, FaultHooks faults) {
    this.store = store;
    this.faults = faults;
    this.minTtlSeconds = minTtlSeconds;
    this.nanoClock = nanoClock;
    reload();
  }

  /** etcd's minimum lease TTL for an election timeout: ceil of one and a half election timeouts. */
  public static long minTtlSeconds(Duration electionTimeout) {
    long millis = electionTimeout.toMillis() * 3 / 2;
    return Math.max(1, (millis + 999) / 1000);
  }

  /** Rebuilds the in-memory state from the store (at start, and after a snapshot replaced it). */
  public synchronized void reload() {
    leases.clear();
    for (Map.Entry<String, byte[]> e : store.metaRecords(META_NAMESPACE).entrySet()) {
      LeaseRecord record = parse(e.getKey(), e.getValue());
      leases.put(record.getId(), new Lease(record.getId(), record.getTtl()));
    }
    if (leases.isEmpty()) {
      return;
    }
    byte[] from = new byte[] {0};
    while (true) {
      byte[] start = from;
      List<KeyValue> page = store.read(view -> view.range(KeyRange.of(start, new byte[] {0}), 0, RELOAD_PAGE, false).kvs());
      for (KeyValue kv : page) {
        if (kv.getLease() != 0) {
          Lease lease = leases.get(kv.getLease());
          if (lease == null) {
            throw new IllegalStateException("key " + kv.getKey().toStringUtf8() + " carries lease "
                + Long.toHexString(kv.getLease()) + " which is not stored: lease records and data disagree");
          }
          lease.keys.add(kv.getKey());
        }
      }
      if (page.size() < RELOAD_PAGE) {
        break;
      }
      from = page.get(page.size() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0})).toByteArray();
    }
    if (primary) {
      restartClocks(0);
    }
  }

  private static LeaseRecord parse(String name, byte[] bytes) {
    try {
      return LeaseRecord.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored lease record " + name + " is unreadable", e);
    }
  }

  static MetaKey metaKey(long id) {
    return MetaKey.of(META_NAMESPACE, String.format("%016x", id));
  }

  @Override
  public synchronized boolean exists(long leaseId) {
    return leases.containsKey(leaseId);
  }

  /** Whether any lease exists (if none, no key can carry one and applied events need no look). */
  public synchronized boolean isEmpty() {
    return leases.isEmpty();
  }

  // ---- apply thread ----

  /**
   * Applies a grant: records the lease with its TTL (raised to the minimum) in the same batch as
   * {@code index}. Fails LEASE_TTL_TOO_LARGE or LEASE_EXISTS with nothing but the index recorded.
   */
  public LeaseGrantResponse applyGrant(long index, long term, LeaseGrantRequest request) {
    synchronized (this) {
      if (request.getTTL() > MAX_TTL_SECONDS) {
        store.markApplied(index, term);
        throw EtcdError.LEASE_TTL_TOO_LARGE.exception();
      }
      if (request.getID() == 0 || leases.containsKey(request.getID())) {
        store.markApplied(index, term);
        throw (request.getID() == 0 ? EtcdError.LEASE_NOT_FOUND : EtcdError.LEASE_EXISTS).exception();
      }
      long ttl = Math.max(request.getTTL(), minTtlSeconds);
      try (WriteTxn txn = store.beginWrite()) {
        txn.putMeta(metaKey(request.getID()), LeaseRecord.newBuilder().setId(request.getID()).setTtl(ttl).build().toByteArray());
        txn.commit(index, term);
      }
      Lease lease = new Lease(request.getID(), ttl);
      if (primary) {
        lease.expiresAtNanos = nanoClock.getAsLong() + faults.leaseClockNanos(ttl * 1_000_000_000L);
      }
      leases.put(lease.id, lease);
      return LeaseGrantResponse.newBuilder().setHeader(header()).setID(lease.id).setTTL(ttl).build();
    }
  }

  /**
   * Applies a revoke: deletes every key attached to the lease in one revision and removes the lease,
   * in one batch with {@code index}. Fails LEASE_NOT_FOUND with only the index recorded.
   */
  public LeaseRevokeResponse applyRevoke(long index, long term, LeaseRevokeRequest request) {
    synchronized (this) {
      Lease lease = leases.get(request.getID());
      if (lease == null) {
        store.markApplied(index, term);
        throw EtcdError.LEASE_NOT_FOUND.exception();
      }
      try (WriteTxn txn = store.beginWrite()) {
        for (ByteString key : lease.keys) {
          List<KeyValue> deleted = txn.deleteRange(KeyRange.single(key.toByteArray()));
          if (deleted.size() != 1 || deleted.get(0).getLease() != lease.id) {
            throw new IllegalStateException("key " + key.toStringUtf8() + " is attached to lease "
                + Long.toHexString(lease.id) + " in memory but not in the store");
          }
        }
        txn.deleteMeta(metaKey(lease.id));
        txn.commit(index, term);
      }
      leases.remove(lease.id);
      return LeaseRevokeResponse.newBuilder().setHeader(header()).build();
    }
  }

  /**
   * Follows the attachments of one applied revision: a key's previous version detaches from its
   * lease, a put with a lease attaches. Called by the apply thread after every revision while any
   * lease exists; a revoke's own deletes find their lease already gone.
   *
   * <p>An event's prev_kv is the key as it was before the whole revision (etcd's watch meaning),
   * but one txn may touch a key twice (a put, then a {@code "\0"}-range delete that etcd lets
   * through its duplicate-key check): the second event's real predecessor is then the first one.
   */
  public synchronized void onRevision(List<Event> events) {
    Map<ByteString, Long> leaseSetEarlierInBatch = new HashMap<>();
    for (Event event : events) {
      ByteString key = event.getKv().getKey();
      Long earlier = leaseSetEarlierInBatch.get(key);
      long previousLease = earlier != null ? earlier : (event.hasPrevKv() ? event.getPrevKv().getLease() : 0);
      if (previousLease != 0) {
        Lease previous = leases.get(previousLease);
        if (previous != null) {
          previous.keys.remove(key);
        }
      }
      long newLease = event.getType() == Event.EventType.PUT ? event.getKv().getLease() : 0;
      if (newLease != 0) {
        Lease lease = leases.get(newLease);
        if (lease == null) {
          throw new IllegalStateException("put of " + key.toStringUtf8() + " at revision "
              + event.getKv().getModRevision() + " carries unknown lease " + Long.toHexString(newLease));
        }
        lease.keys.add(key);
      }
      leaseSetEarlierInBatch.put(key, newLease);
    }
  }

  private ResponseHeader header() {
    return ResponseHeader.newBuilder().setRevision(store.currentRevision()).build();
  }

  // ---- leader side: expiry ----

  /**
   * This member became the leader: from now on it tracks expiry, and every lease gets a full TTL
   * from now plus {@code extendNanos} (etcd's Promote), so no lease expires early because its
   * previous leader's clock was lost.
   */
  public synchronized void promote(long extendNanos) {
    primary = true;
    restartClocks(extendNanos);
  }

  private void restartClocks(long extendNanos) {
    long now = nanoClock.getAsLong();
    for (Lease lease : leases.values()) {
      lease.expiresAtNanos = now + extendNanos + lease.ttlSeconds * 1_000_000_000L;
      lease.revokeProposedAtNanos = 0;
    }
  }

  /** This member is no longer the leader: it stops tracking expiry. */
  public synchronized void demote() {
    primary = false;
    for (Lease lease : leases.values()) {
      lease.expiresAtNanos = NEVER;
      lease.revokeProposedAtNanos = 0;
    }
  }

  public synchronized boolean isPrimary() {
    return primary;
  }

  /**
   * Renews a lease for a keep-alive on the leader: expiry moves to a full TTL from now.
   *
   * @return the lease's TTL in seconds, or 0 if there is no such lease or it already expired
   *     (its revoke is on the way), which is what etcd tells the client
   * @throws io.cairn.api.EtcdException NOT_LEADER if this member is not the leader
   */
  public synchronized long renew(long id) {
    if (!primary) {
      throw EtcdError.NOT_LEADER.exception();
    }
    Lease lease = leases.get(id);
    long now = nanoClock.getAsLong();
    if (lease == null || lease.expiresAtNanos <= now) {
      return 0;
    }
    lease.expiresAtNanos = now + lease.ttlSeconds * 1_000_000_000L;
    return lease.ttlSeconds;
  }

  /**
   * Leases whose time is up and that have no revoke in flight (one proposed less than
   * {@code retryNanos} ago), at most {@code max}; each is marked as having a revoke in flight.
   */
  public synchronized List<Long> takeExpired(int max, long retryNanos) {
    List<Long> expired = new ArrayList<>();
    if (!primary) {
      return expired;
    }
    long now = nanoClock.getAsLong();
    for (Lease lease : leases.values()) {
      if (expired.size() >= max) {
        break;
      }
      boolean inFlight = lease.revokeProposedAtNanos != 0 && now - lease.revokeProposedAtNanos < retryNanos;
      if (lease.expiresAtNanos <= now && !inFlight) {
        lease.revokeProposedAtNanos = now;
        expired.add(lease.id);
      }
    }
    return expired;
  }

  /**
   * etcd's TimeToLive as this member sees it; on the leader the remaining time counts down,
   * elsewhere it is the granted TTL. Null if there is no such lease.
   */
  public synchronized TimeToLive timeToLive(long id, boolean withKeys) {
    Lease lease = leases.get(id);
    if (lease == null) {
      return null;
    }
    long remaining = lease.ttlSeconds;
    if (primary) {
      remaining = Math.max(0, (lease.expiresAtNanos - nanoClock.getAsLong()) / 1_000_000_000L);
    }
    return new TimeToLive(id, remaining, lease.ttlSeconds, withKeys ? List.copyOf(lease.keys) : List.of());
  }

  /** The ids of every lease, ascending. */
  public synchronized List<Long> ids() {
    return leases.keySet().stream().sorted().toList();
  }

  /** Never-null view used by tests: the keys attached to {@code id}. */
  synchronized List<ByteString> keysOf(long id) {
    Lease lease = leases.get(id);
    return lease == null ? List.of() : List.copyOf(lease.keys);
  }
}
