package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.linearizability.LinearizabilityChecker;
import io.cairn.jepsen.linearizability.LinearizabilityResult;
import io.cairn.jepsen.history.HistoryRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code register} workload: each key is a register; clients read it (linearizable Range), write
 * it (Put) and compare-and-set it (a Txn comparing the value). Every written value is unique in the
 * run. Keys roll over as the run goes on ({@value #OPS_PER_KEY_GENERATION} operations per generation,
 * {@value #ACTIVE_KEYS} keys live at a time) so each key's sub-history stays small enough for the
 * linearizability search. Checked per key with {@link LinearizabilityChecker}; the final reads of
 * every key through every member join the history, so a lost write shows up as a read that cannot be
 * linearized.
 */
public final class RegisterWorkload implements Workload {

  static final String PREFIX = "jepsen/register/";
  private static final int OPS_PER_KEY_GENERATION = 100;
  private static final int ACTIVE_KEYS = 3;

  private final HistoryRecorder recorder;
  /** The next value to write; values are unique across the run. */
  private final AtomicLong nextValue = new AtomicLong(1);
  private final AtomicLong invocations = new AtomicLong();
  /** Last value some client saw or wrote per key: CAS uses it as its expected value. */
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private final Set<String> keysUsed = ConcurrentHashMap.newKeySet();

  public RegisterWorkload(HistoryRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public String name() {
    return "register";
  }

  @Override
  public WorkloadClient client(int process, EtcdConnection member, SplittableRandom random) {
    return () -> {
      long n = invocations.getAndIncrement();
      String key = PREFIX + (n / OPS_PER_KEY_GENERATION + random.nextInt(ACTIVE_KEYS));
      keysUsed.add(key);
      int dice = random.nextInt(4);
      if (dice < 2) {
        read(process, member, key);
        return true;
      } else if (dice == 2) {
        return write(process, member, key, nextValue.getAndIncrement());
      } else {
        long expected = lastSeen.getOrDefault(key, (long) random.nextInt(3));
        return cas(process, member, key, expected, nextValue.getAndIncrement());
      }
    };
  }

  private void read(int process, EtcdConnection member, String key) {
    KeyRead read = KeyRead.perform(recorder, process, member, key);
    if (read.value() != null) {
      lastSeen.put(key, read.value());
    }
  }

  private boolean write(int process, EtcdConnection member, String key, long value) {
    recorder.record(Op.write(process, OpType.INVOKE, key, value, System.nanoTime()));
    try {
      PutResponse r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).put(PutRequest.newBuilder().setKey(Bytes.of(key)).setValue(Bytes.of(value)).build());
      recorder.record(Op.write(process, OpType.OK, key, value, System.nanoTime()).withRevision(r.getHeader().getRevision()));
      lastSeen.put(key, value);
      return true;
    } catch (RuntimeException e) {
      OpType type = Outcomes.forWrite(e);
      recorder.record(Op.write(process, type, key, value, System.nanoTime()));
      return type != OpType.INFO;
    }
  }

  private boolean cas(int process, EtcdConnection member, String key, long expected, long value) {
    recorder.record(Op.cas(process, OpType.INVOKE, key, expected, value, System.nanoTime()));
    TxnRequest txn = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(Bytes.of(key)).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(Bytes.of(expected)))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(Bytes.of(key)).setValue(Bytes.of(value))))
        .build();
    try {
      TxnResponse r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).txn(txn);
      OpType type = r.getSucceeded() ? OpType.OK : OpType.FAIL;
      recorder.record(Op.cas(process, type, key, expected, value, System.nanoTime()).withRevision(r.getHeader().getRevision()));
      if (r.getSucceeded()) {
        lastSeen.put(key, value);
      }
      return true;
    } catch (RuntimeException e) {
      OpType type = Outcomes.forWrite(e);
      recorder.record(Op.cas(process, type, key, expected, value, System.nanoTime()));
      return type != OpType.INFO;
    }
  }

  @Override
  public void finalReads(List<EtcdConnection> members, int firstFreeProcess) {
    for (String key : new TreeSet<>(keysUsed)) {
      for (int i = 0; i < members.size(); i++) {
        read(firstFreeProcess + i, members.get(i), key);
      }
    }
  }

  @Override
  public CheckReport check(History history) {
    LinearizabilityResult result = LinearizabilityChecker.forRegisters().check(history);
    List<String> anomalies = new ArrayList<>();
    result.failures().forEach(f -> anomalies.add("not linearizable: " + f));
    result.undecidedKeys().forEach(k -> anomalies.add("undecided (search budget exhausted): key " + k));
    return CheckReport.of("linearizability of " + keysUsed.size() + " registers, " + result.operationsChecked()
        + " operations checked", anomalies);
  }
}
