package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.history.HistoryRecorder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code lease} workload: each client grants a lease of {@value #TTL_SECONDS} s (no keep-alive),
 * puts a fresh key on it, then reads the key now and then until past the TTL, and starts over.
 *
 * <p>Checks: (1) never early: a read that began after the put was acknowledged and ended before the
 * grant's invocation plus the granted TTL must see the key (the leader granted no earlier than the
 * invocation, and leader changes only extend leases); (2) never immortal: after the run, with the
 * cluster recovered, the harness waits TTL + {@value #EXPIRY_SLACK_SECONDS} s and every lease key
 * must be gone.
 */
public final class LeaseWorkload implements Workload {

  static final String PREFIX = "jepsen/lease/";
  static final long TTL_SECONDS = 8;
  private static final long EXPIRY_SLACK_SECONDS = 5;
  private static final long MIN_READ_GAP_MILLIS = 100;
  private static final long MAX_READ_GAP_MILLIS = 600;

  private final HistoryRecorder recorder;
  private final Set<String> keysUsed = ConcurrentHashMap.newKeySet();
  /** Process ids of the final reads (their reads must find every key expired). */
  private volatile int firstFinalProcess = Integer.MAX_VALUE;

  public LeaseWorkload(HistoryRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public String name() {
    return "lease";
  }

  @Override
  public WorkloadClient client(int process, EtcdConnection member, SplittableRandom random) {
    return new WorkloadClient() {
      private int leases;
      private String key;
      private long grantInvoked;
      private long ttlNanos;

      @Override
      public boolean step() throws InterruptedException {
        if (key == null || System.nanoTime() - grantInvoked > ttlNanos + 1_000_000_000L) {
          key = PREFIX + process + "-" + leases++;
          keysUsed.add(key);
          return grantAndPut();
        }
        Thread.sleep(MIN_READ_GAP_MILLIS + random.nextLong(MAX_READ_GAP_MILLIS - MIN_READ_GAP_MILLIS));
        KeyRead.perform(recorder, process, member, key);
        return true;
      }

      private boolean grantAndPut() {
        grantInvoked = System.nanoTime();
        recorder.record(grant(process, OpType.INVOKE, key, null, grantInvoked));
        long leaseId;
        try {
          LeaseGrantResponse g = member.lease(Outcomes.REQUEST_TIMEOUT_MILLIS).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL_SECONDS).build());
          if (!g.getError().isEmpty()) {
            recorder.record(grant(process, OpType.FAIL, key, null, System.nanoTime()));
            key = null;
            return true;
          }
          leaseId = g.getID();
          ttlNanos = g.getTTL() * 1_000_000_000L;
          recorder.record(grant(process, OpType.OK, key, g.getTTL(), System.nanoTime()).withRevision(g.getHeader().getRevision()));
        } catch (RuntimeException e) {
          OpType type = Outcomes.forWrite(e);
          recorder.record(grant(process, type, key, null, System.nanoTime()));
          key = null;
          return type != OpType.INFO;
        }
        long value = grantInvoked; // unique per client and lease
        recorder.record(Op.write(process, OpType.INVOKE, key, value, System.nanoTime()));
        try {
          PutResponse r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).put(PutRequest.newBuilder().setKey(Bytes.of(key))
              .setValue(Bytes.of(value)).setLease(leaseId).build());
          recorder.record(Op.write(process, OpType.OK, key, value, System.nanoTime()).withRevision(r.getHeader().getRevision()));
          return true;
        } catch (RuntimeException e) {
          OpType type = Outcomes.forWrite(e);
          recorder.record(Op.write(process, type, key, value, System.nanoTime()));
          if (type == OpType.FAIL) {
            key = null;
          }
          return type != OpType.INFO;
        }
      }
    };
  }

  private static Op grant(int process, OpType type, String key, Long ttl, long time) {
    return new Op(process, type, OpFunction.GRANT, key, ttl, null, null, time, Op.UNKNOWN_REVISION);
  }

  @Override
  public void finalReads(List<EtcdConnection> members, int firstFreeProcess) throws InterruptedException {
    firstFinalProcess = firstFreeProcess;
    Thread.sleep((TTL_SECONDS + EXPIRY_SLACK_SECONDS) * 1000);
    for (String key : new TreeSet<>(keysUsed)) {
      for (int i = 0; i < members.size(); i++) {
        KeyRead.perform(recorder, firstFreeProcess + i, members.get(i), key);
      }
    }
  }

  @Override
  public CheckReport check(History history) {
    Map<String, CompletedOp> grants = new HashMap<>();
    Map<String, CompletedOp> puts = new HashMap<>();
    List<CompletedOp> reads = new ArrayList<>();
    for (CompletedOp op : history.operations()) {
      switch (op.f()) {
        case GRANT -> grants.put(op.invoke().key(), op);
        case WRITE -> puts.put(op.invoke().key(), op);
        case READ -> reads.add(op);
        default -> throw new IllegalStateException("the lease workload records no " + op.f() + ": " + op);
      }
    }
    List<String> anomalies = new ArrayList<>();
    int earlyChecked = 0;
    int finalChecked = 0;
    for (CompletedOp read : reads) {
      if (!read.isOk()) {
        continue;
      }
      String key = read.invoke().key();
      if (read.process() >= firstFinalProcess) {
        finalChecked++;
        if (read.completion().value() != null) {
          anomalies.add("lease key outlived its lease: " + read + " still sees the key "
              + (TTL_SECONDS + EXPIRY_SLACK_SECONDS) + " s after the run ended (" + grants.get(key) + ")");
        }
        continue;
      }
      CompletedOp grant = grants.get(key);
      CompletedOp put = puts.get(key);
      if (grant == null || put == null || !grant.isOk() || !put.isOk()) {
        continue;
      }
      long expiresNoEarlierThan = grant.start() + grant.completion().value() * 1_000_000_000L;
      if (read.start() > put.end() && read.end() < expiresNoEarlierThan) {
        earlyChecked++;
        if (read.completion().value() == null) {
          anomalies.add("lease expired early: " + read + " found no key, but it ended "
              + (expiresNoEarlierThan - read.end()) / 1_000_000 + " ms before the TTL since the grant's invocation ran out ("
              + grant + ", " + put + ")");
        }
      }
    }
    return CheckReport.of("lease: " + grants.size() + " leases, " + earlyChecked + " reads within TTL checked, "
        + finalChecked + " final reads checked for expiry", anomalies);
  }
}
