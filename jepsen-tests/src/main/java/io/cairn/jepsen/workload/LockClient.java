package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.history.HistoryRecorder;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.lock.FencedValue;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of the {@code lock} workload, cycling through: grant a lease (kept alive from then on),
 * acquire the lock as etcd's concurrency Mutex does, do 1-3 fenced writes to the resource, release
 * (delete the lock key, stop the keep-alive, revoke the lease); now and then a holder stalls past its
 * TTL before a write, so its lock is lost under it. Each step is one recorded operation (a stall
 * records none); an indeterminate one retires the client (its lease, no longer kept alive, then
 * expires).
 */
final class LockClient implements WorkloadClient {

  /** How long an acquisition may wait for its predecessors before it gives up and releases. */
  static final long ACQUIRE_WAIT_MILLIS = 10_000;
  /** One tenure in this many has its holder stall past its lease's TTL before a write (see {@link #stall}). */
  private static final int STALL_ONE_IN = 25;

  private final int process;
  private final EtcdConnection member;
  private final SplittableRandom random;
  private final HistoryRecorder recorder;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong nextWriteId;
  /** TEST ONLY ({@link LockWorkload#UNFENCED_ENV}): a holder that stalled writes without the fence. */
  private final boolean unfencedAfterStall;

  /** The lease of the current cycle; 0 before the grant. */
  private long leaseId;
  /** The current cycle's lock key ({@code <lock prefix><lease id hex>}); null before the grant. */
  private String lockKey;
  /** Keeps {@link #leaseId} alive; null when no lease is kept. */
  private LeaseKeeper keeper;
  /** The lock key's create_revision once it was put (the fencing token when held); 0 before. */
  private long token;
  /** Fenced writes still to do in this tenure; 0 with a token set means: release next. */
  private int writesLeft;
  /** The TTL the server granted the current lease, in seconds. */
  private long ttlSeconds;
  /** Whether the holder stalls before its next fenced write; decided at each acquisition. */
  private boolean stallNext;
  /** Whether the holder stalled in the current tenure. */
  private boolean stalled;

  LockClient(int process, EtcdConnection member, SplittableRandom random, HistoryRecorder recorder,
      ScheduledExecutorService scheduler, AtomicLong nextWriteId, boolean unfencedAfterStall) {
    this.process = process;
    this.member = member;
    this.random = random;
    this.recorder = recorder;
    this.scheduler = scheduler;
    this.nextWriteId = nextWriteId;
    this.unfencedAfterStall = unfencedAfterStall;
  }

  @Override
  public boolean step() throws InterruptedException {
    if (leaseId == 0) {
      return grant();
    }
    if (token == 0) {
      return acquire();
    }
    if (writesLeft > 0 && stallNext) {
      stall();
      return true;
    }
    return writesLeft > 0 ? fencedWrite() : release();
  }

  /**
   * A holder that stops, like a process paused by GC or SIGSTOP: no keep-alives and no requests for
   * longer than the lease's TTL, so its lease expires, its lock key goes and another client may take
   * the lock. Its next fenced write must then be refused; this makes every run, not only those whose
   * faults happen to hit a holder, exercise the fence. Nothing is recorded: no request is made.
   */
  private void stall() throws InterruptedException {
    stallNext = false;
    stalled = true;
    keeper.close();
    Thread.sleep((ttlSeconds + 1) * 1000);
  }

  private boolean grant() {
    recorder.record(op(OpType.INVOKE, OpFunction.GRANT, LockWorkload.LOCK_PREFIX, null, null));
    try {
      LeaseGrantResponse g = member.lease(Outcomes.REQUEST_TIMEOUT_MILLIS)
          .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(LockWorkload.TTL_SECONDS).build());
      if (!g.getError().isEmpty()) {
        recorder.record(op(OpType.FAIL, OpFunction.GRANT, LockWorkload.LOCK_PREFIX, null, null));
        return true;
      }
      recorder.record(op(OpType.OK, OpFunction.GRANT, LockWorkload.LOCK_PREFIX, g.getTTL(), null).withRevision(g.getHeader().getRevision()));
      leaseId = g.getID();
      ttlSeconds = g.getTTL();
      lockKey = LockWorkload.LOCK_PREFIX + Long.toHexString(leaseId);
      keeper = LeaseKeeper.start(member, leaseId, g.getTTL(), scheduler);
      return true;
    } catch (RuntimeException e) {
      OpType type = Outcomes.forWrite(e);
      recorder.record(op(type, OpFunction.GRANT, LockWorkload.LOCK_PREFIX, null, null));
      return type != OpType.INFO;
    }
  }

  /**
   * The Mutex recipe: a Txn that puts the lock key on the lease if it does not exist and reads the
   * oldest key under the prefix; if that is not ours, wait until no key created before ours is left,
   * watching the youngest such predecessor for its deletion each time.
   */
  private boolean acquire() throws InterruptedException {
    long deadline = System.nanoTime() + ACQUIRE_WAIT_MILLIS * 1_000_000;
    recorder.record(op(OpType.INVOKE, OpFunction.ACQUIRE, lockKey, null, null));
    RequestOp owner = RequestOp.newBuilder().setRequestRange(prefixRange(RangeRequest.SortOrder.ASCEND)).build();
    TxnRequest txn = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(Bytes.of(lockKey)).setTarget(Compare.CompareTarget.CREATE)
            .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(Bytes.of(lockKey)).setLease(leaseId)))
        .addSuccess(owner)
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(Bytes.of(lockKey))))
        .addFailure(owner)
        .build();
    TxnResponse created;
    try {
      created = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).txn(txn);
    } catch (RuntimeException e) {
      OpType type = Outcomes.forWrite(e);
      recorder.record(op(type, OpFunction.ACQUIRE, lockKey, null, null));
      return type != OpType.INFO;
    }
    token = created.getSucceeded() ? created.getHeader().getRevision()
        : created.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
    List<KeyValue> oldest = created.getResponses(1).getResponseRange().getKvsList();
    long heldAt = created.getHeader().getRevision();
    if (!oldest.isEmpty() && oldest.get(0).getCreateRevision() != token) {
      heldAt = awaitPredecessors(deadline);
    }
    if (heldAt == 0) {
      recorder.record(op(OpType.FAIL, OpFunction.ACQUIRE, lockKey, null, null));
      writesLeft = 0; // gave up: release the key next
      return true;
    }
    recorder.record(op(OpType.OK, OpFunction.ACQUIRE, lockKey, token, null).withRevision(heldAt));
    writesLeft = 1 + random.nextInt(3);
    stallNext = random.nextInt(STALL_ONE_IN) == 0;
    stalled = false;
    return true;
  }

  /** The revision at which no key older than ours was left, or 0 when a read failed or time ran out. */
  private long awaitPredecessors(long deadline) throws InterruptedException {
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return 0;
      }
      RangeResponse youngestOlder;
      try {
        youngestOlder = member.kv(Math.min(left, Outcomes.REQUEST_TIMEOUT_MILLIS))
            .range(prefixRange(RangeRequest.SortOrder.DESCEND).toBuilder().setMaxCreateRevision(token - 1).build());
      } catch (RuntimeException e) {
        return 0;
      }
      if (youngestOlder.getKvsCount() == 0) {
        return youngestOlder.getHeader().getRevision();
      }
      String predecessor = youngestOlder.getKvs(0).getKey().toStringUtf8();
      left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0 || !DeleteWait.await(member, predecessor, youngestOlder.getHeader().getRevision(), left)) {
        return 0;
      }
    }
  }

  private static RangeRequest prefixRange(RangeRequest.SortOrder order) {
    return RangeRequest.newBuilder().setKey(Bytes.of(LockWorkload.LOCK_PREFIX)).setRangeEnd(Bytes.prefixEnd(LockWorkload.LOCK_PREFIX))
        .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(order).setLimit(1).build();
  }

  /** A Txn that puts a unique value to the resource only if our lock key still has our token as create_revision. */
  private boolean fencedWrite() {
    long writeId = nextWriteId.getAndIncrement();
    String value = new FencedValue(writeId, process, token, lockKey).render();
    recorder.record(op(OpType.INVOKE, OpFunction.FENCED_WRITE, LockWorkload.RESOURCE, writeId, token));
    TxnRequest.Builder txn = TxnRequest.newBuilder()
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(Bytes.of(LockWorkload.RESOURCE)).setValue(Bytes.of(value))));
    if (!(unfencedAfterStall && stalled)) {
      txn.addCompare(Compare.newBuilder().setKey(Bytes.of(lockKey)).setTarget(Compare.CompareTarget.CREATE)
          .setResult(Compare.CompareResult.EQUAL).setCreateRevision(token));
    }
    try {
      TxnResponse r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).txn(txn.build());
      OpType type = r.getSucceeded() ? OpType.OK : OpType.FAIL;
      recorder.record(op(type, OpFunction.FENCED_WRITE, LockWorkload.RESOURCE, writeId, token).withRevision(r.getHeader().getRevision()));
      writesLeft = r.getSucceeded() ? writesLeft - 1 : 0; // refused: the lock is lost, release
      return true;
    } catch (RuntimeException e) {
      OpType type = Outcomes.forWrite(e);
      recorder.record(op(type, OpFunction.FENCED_WRITE, LockWorkload.RESOURCE, writeId, token));
      writesLeft--;
      return type != OpType.INFO;
    }
  }

  /**
   * Deletes the lock key (the recorded operation), then stops the keep-alive and revokes the lease.
   * A failed revoke is not an error: the lease, no longer kept alive, expires within its TTL.
   */
  private boolean release() {
    keeper.close();
    recorder.record(op(OpType.INVOKE, OpFunction.RELEASE, lockKey, token, null));
    OpType type;
    try {
      var r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).deleteRange(DeleteRangeRequest.newBuilder().setKey(Bytes.of(lockKey)).build());
      recorder.record(op(OpType.OK, OpFunction.RELEASE, lockKey, token, null).withRevision(r.getHeader().getRevision()));
      type = OpType.OK;
    } catch (RuntimeException e) {
      type = Outcomes.forWrite(e);
      recorder.record(op(type, OpFunction.RELEASE, lockKey, token, null));
    }
    if (type == OpType.INFO) {
      return false;
    }
    try {
      member.lease(Outcomes.REQUEST_TIMEOUT_MILLIS).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId).build());
    } catch (RuntimeException e) {
      // expires by itself: see above
    }
    leaseId = 0;
    lockKey = null;
    keeper = null;
    token = 0;
    return true;
  }

  @Override
  public void close() {
    if (keeper != null) {
      keeper.close();
    }
  }

  private Op op(OpType type, OpFunction f, String key, Long value, Long expected) {
    return new Op(process, type, f, key, value, expected, null, System.nanoTime(), Op.UNKNOWN_REVISION);
  }
}
