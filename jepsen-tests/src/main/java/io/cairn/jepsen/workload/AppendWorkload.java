package io.cairn.jepsen.workload;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.elle.ListAppendChecker;
import io.cairn.jepsen.elle.ListAppendResult;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.MicroOp;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.history.HistoryRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code append} workload: transactions of 1 to 4 steps, each an append of a unique element to a
 * list or a read of a whole list, over a few keys (a list is stored as its comma-separated elements).
 *
 * <p>A transaction runs as etcd clients run read-modify-write: one Txn reads every key it touches
 * (values and mod_revisions, linearizable); the steps are worked out locally; if there are appends, a
 * second Txn writes the new lists only if every touched key still has the mod_revision read
 * (compare), so the whole transaction takes effect atomically at the second Txn. A failed compare is
 * FAIL (nothing written); an error on the second Txn is INFO. Read-only transactions complete with the
 * first Txn. Checked with the Elle-style {@link ListAppendChecker} (strict serializability); a final
 * read of every key through every member catches lost appends.
 */
public final class AppendWorkload implements Workload {

  static final String PREFIX = "jepsen/append/";
  private static final int TXNS_PER_KEY_GENERATION = 300;
  private static final int ACTIVE_KEYS = 4;
  private static final int MAX_STEPS = 4;

  private final HistoryRecorder recorder;
  private final AtomicLong nextValue = new AtomicLong(1);
  private final AtomicLong invocations = new AtomicLong();
  private final Set<String> keysUsed = ConcurrentHashMap.newKeySet();

  public AppendWorkload(HistoryRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public String name() {
    return "append";
  }

  @Override
  public WorkloadClient client(int process, EtcdConnection member, SplittableRandom random) {
    return () -> {
      long generation = invocations.getAndIncrement() / TXNS_PER_KEY_GENERATION;
      List<MicroOp> steps = new ArrayList<>();
      int count = 1 + random.nextInt(MAX_STEPS);
      for (int i = 0; i < count; i++) {
        String key = PREFIX + (generation + random.nextInt(ACTIVE_KEYS));
        keysUsed.add(key);
        steps.add(random.nextBoolean() ? MicroOp.append(key, nextValue.getAndIncrement()) : MicroOp.read(key));
      }
      return transact(process, member, steps);
    };
  }

  /** Runs one transaction; false when it ended indeterminate. */
  private boolean transact(int process, EtcdConnection member, List<MicroOp> steps) {
    recorder.record(Op.txn(process, OpType.INVOKE, steps, System.nanoTime()));
    List<String> keys = new ArrayList<>(new TreeSet<>(steps.stream().map(MicroOp::key).toList()));
    TxnRequest.Builder read = TxnRequest.newBuilder();
    keys.forEach(k -> read.addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(Bytes.of(k)))));
    Map<String, List<Long>> lists = new HashMap<>();
    Map<String, Long> modRevisions = new HashMap<>();
    TxnResponse readResponse;
    try {
      readResponse = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).txn(read.build());
    } catch (RuntimeException e) {
      recorder.record(Op.txn(process, OpType.FAIL, steps, System.nanoTime()));
      return true;
    }
    for (int i = 0; i < keys.size(); i++) {
      RangeResponse r = readResponse.getResponses(i).getResponseRange();
      lists.put(keys.get(i), r.getKvsCount() == 0 ? new ArrayList<>() : parse(r.getKvs(0).getValue()));
      modRevisions.put(keys.get(i), r.getKvsCount() == 0 ? 0L : r.getKvs(0).getModRevision());
    }
    List<MicroOp> done = new ArrayList<>();
    Map<String, List<Long>> written = new LinkedHashMap<>();
    for (MicroOp step : steps) {
      List<Long> list = lists.get(step.key());
      if (step.isAppend()) {
        list.add(step.value());
        written.put(step.key(), list);
        done.add(step);
      } else {
        done.add(MicroOp.read(step.key(), list));
      }
    }
    if (written.isEmpty()) {
      recorder.record(Op.txn(process, OpType.OK, done, System.nanoTime()).withRevision(readResponse.getHeader().getRevision()));
      return true;
    }
    TxnRequest.Builder write = TxnRequest.newBuilder();
    for (String k : keys) {
      write.addCompare(Compare.newBuilder().setKey(Bytes.of(k)).setTarget(Compare.CompareTarget.MOD)
          .setResult(Compare.CompareResult.EQUAL).setModRevision(modRevisions.get(k)));
    }
    written.forEach((k, list) -> write.addSuccess(RequestOp.newBuilder().setRequestPut(
        PutRequest.newBuilder().setKey(Bytes.of(k)).setValue(Bytes.of(join(list))))));
    try {
      TxnResponse r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).txn(write.build());
      OpType type = r.getSucceeded() ? OpType.OK : OpType.FAIL;
      recorder.record(Op.txn(process, type, r.getSucceeded() ? done : steps, System.nanoTime()).withRevision(r.getHeader().getRevision()));
      return true;
    } catch (RuntimeException e) {
      OpType type = Outcomes.forWrite(e);
      recorder.record(Op.txn(process, type, steps, System.nanoTime()));
      return type != OpType.INFO;
    }
  }

  private static List<Long> parse(ByteString value) {
    String text = value.toStringUtf8();
    List<Long> list = new ArrayList<>();
    if (!text.isEmpty()) {
      Arrays.stream(text.split(",")).map(Long::parseLong).forEach(list::add);
    }
    return list;
  }

  private static String join(List<Long> list) {
    return String.join(",", list.stream().map(String::valueOf).toList());
  }

  @Override
  public void finalReads(List<EtcdConnection> members, int firstFreeProcess) {
    for (String key : new TreeSet<>(keysUsed)) {
      for (int i = 0; i < members.size(); i++) {
        transact(firstFreeProcess + i, members.get(i), List.of(MicroOp.read(key)));
      }
    }
  }

  @Override
  public CheckReport check(History history) {
    ListAppendResult result = new ListAppendChecker().check(history);
    List<String> anomalies = new ArrayList<>();
    result.anomalies().forEach(a -> anomalies.add(a.toString()));
    return CheckReport.of("list-append (strict serializability) over " + keysUsed.size() + " keys, "
        + result.transactionsChecked() + " transactions checked", anomalies);
  }
}
