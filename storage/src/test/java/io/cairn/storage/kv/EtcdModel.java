package io.cairn.storage.kv;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.CompactionResponse;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.DeleteRangeResponse;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.ResponseOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * A deliberately simple in-memory model of etcd 3.5's KV semantics, written from etcd's documented
 * behaviour independently of the RocksDB store: every key keeps the plain list of its versions,
 * reads scan everything, a failed request is undone by restoring a copy. The randomized test
 * compares the store's answers to this model's.
 */
final class EtcdModel {
  static final Comparator<ByteString> BYTES = ByteString.unsignedLexicographicalComparator();
  private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

  /** One change: kv null for a delete. */
  record Version(long main, long sub, KeyValue kv) {}

  private TreeMap<ByteString, List<Version>> keys = new TreeMap<>(BYTES);
  /** The current revision (during a write: the revision before it). */
  long revision = 1;
  long compacted = -1;
  private final LongPredicate leaseExists;
  private final int maxTxnOps;
  /** Changes made by the write in progress. */
  private int changes;

  EtcdModel(LongPredicate leaseExists, int maxTxnOps) {
    this.leaseExists = leaseExists;
    this.maxTxnOps = maxTxnOps;
  }

  // ---- reads ----

  private long readRevision() {
    return changes > 0 ? revision + 1 : revision;
  }

  KeyValue live(ByteString key, long at) {
    KeyValue found = null;
    for (Version v : keys.getOrDefault(key, List.of())) {
      if (v.main() <= at) {
        found = v.kv();
      }
    }
    return found;
  }

  static boolean inRange(ByteString k, ByteString key, ByteString end) {
    if (end.isEmpty()) {
      return k.equals(key);
    }
    if (end.equals(ZERO)) {
      return BYTES.compare(k, key) >= 0;
    }
    return BYTES.compare(k, key) >= 0 && BYTES.compare(k, end) < 0;
  }

  List<KeyValue> liveRange(ByteString key, ByteString end, long at) {
    List<KeyValue> out = new ArrayList<>();
    for (ByteString k : keys.keySet()) {
      KeyValue kv = live(k, at);
      if (kv != null && inRange(k, key, end)) {
        out.add(kv);
      }
    }
    return out;
  }

  RangeResponse range(RangeRequest r) {
    if (r.getKey().isEmpty()) {
      throw EtcdError.EMPTY_KEY.exception();
    }
    long current = readRevision();
    if (r.getRevision() > current) {
      throw EtcdError.FUTURE_REVISION.exception();
    }
    long at = r.getRevision() <= 0 ? current : r.getRevision();
    if (at < compacted) {
      throw EtcdError.COMPACTED.exception();
    }
    List<KeyValue> all = liveRange(r.getKey(), r.getRangeEnd(), at);
    List<KeyValue> kvs = new ArrayList<>(r.getCountOnly() ? List.of() : all);
    boolean filtered = r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
        || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
    if (r.getSortOrder() == RangeRequest.SortOrder.NONE && !filtered && r.getLimit() > 0
        && kvs.size() > r.getLimit() + 1) {
      // etcd reads only limit + 1 keys (in key order) unless sort_order or a filter is set, even
      // when a non-key sort target makes it sort them afterwards.
      kvs = new ArrayList<>(kvs.subList(0, (int) r.getLimit() + 1));
    }
    if (r.getMinModRevision() != 0) {
      kvs.removeIf(kv -> kv.getModRevision() < r.getMinModRevision());
    }
    if (r.getMaxModRevision() != 0) {
      kvs.removeIf(kv -> kv.getModRevision() > r.getMaxModRevision());
    }
    if (r.getMinCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.getCreateRevision() < r.getMinCreateRevision());
    }
    if (r.getMaxCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.getCreateRevision() > r.getMaxCreateRevision());
    }
    Comparator<KeyValue> target = switch (r.getSortTarget()) {
      case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
      case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
      case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
      case VALUE -> Comparator.comparing(KeyValue::getValue, BYTES);
      default -> Comparator.comparing(KeyValue::getKey, BYTES);
    };
    switch (r.getSortOrder()) {
      case DESCEND -> kvs.sort(target.reversed());
      case ASCEND -> kvs.sort(target);
      default -> kvs.sort(r.getSortTarget() == RangeRequest.SortTarget.KEY ? (a, b) -> 0 : target);
    }
    RangeResponse.Builder out = RangeResponse.newBuilder().setHeader(header(current)).setCount(all.size());
    if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
      kvs = kvs.subList(0, (int) r.getLimit());
      out.setMore(true);
    }
    for (KeyValue kv : kvs) {
      out.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
    }
    return out.build();
  }

  // ---- writes: each runs on a copy and is kept only if it succeeds ----

  PutResponse put(PutRequest r) {
    return atomically(() -> {
      checkPutShape(r);
      if (r.getLease() != 0 && !leaseExists.test(r.getLease())) {
        throw EtcdError.LEASE_NOT_FOUND.exception();
      }
      return doPut(r);
    });
  }

  DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
    return atomically(() -> {
      if (r.getKey().isEmpty()) {
        throw EtcdError.EMPTY_KEY.exception();
      }
      return doDelete(r);
    });
  }

  TxnResponse txn(TxnRequest r) {
    return atomically(() -> {
      checkTxnShape(r, maxTxnOps);
      putsAndDeletes(r.getSuccessList());
      putsAndDeletes(r.getFailureList());
      EtcdModel before = copy();
      List<RequestOp> chosen = new ArrayList<>();
      collectChosen(before, r, chosen);
      for (RequestOp op : chosen) {
        if (op.hasRequestPut()) {
          PutRequest p = op.getRequestPut();
          if ((p.getIgnoreValue() || p.getIgnoreLease()) && before.live(p.getKey(), before.revision) == null) {
            throw EtcdError.KEY_NOT_FOUND.exception();
          }
          if (p.getLease() != 0 && !leaseExists.test(p.getLease())) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
          }
        }
      }
      for (RequestOp op : chosen) {
        if (op.hasRequestRange() && op.getRequestRange().getRevision() != 0) {
          long rev = op.getRequestRange().getRevision();
          if (rev > before.revision) {
            throw EtcdError.FUTURE_REVISION.exception();
          }
          if (rev < before.compacted) {
            throw EtcdError.COMPACTED.exception();
          }
        }
      }
      TxnResponse response = doTxn(before, r);
      return response.toBuilder().setHeader(header(readRevision())).build();
    });
  }

  CompactionResponse compact(CompactionRequest r) {
    if (r.getRevision() <= compacted) {
      throw EtcdError.COMPACTED.exception();
    }
    if (r.getRevision() > revision) {
      throw EtcdError.FUTURE_REVISION.exception();
    }
    compacted = r.getRevision();
    return CompactionResponse.newBuilder().setHeader(header(revision)).build();
  }

  /** Every change after the compaction in revision order, as watch events with prev_kv. */
  List<Event> eventsAfterCompaction() {
    List<Version> all = new ArrayList<>();
    Map<Version, ByteString> keyOf = new java.util.HashMap<>();
    keys.forEach((k, versions) -> versions.forEach(v -> {
      all.add(v);
      keyOf.put(v, k);
    }));
    all.sort(Comparator.comparingLong(Version::main).thenComparingLong(Version::sub));
    List<Event> out = new ArrayList<>();
    for (Version v : all) {
      if (v.main() <= Math.max(compacted, 0)) {
        continue;
      }
      ByteString key = keyOf.get(v);
      Event.Builder e = Event.newBuilder();
      if (v.kv() == null) {
        e.setType(Event.EventType.DELETE).setKv(KeyValue.newBuilder().setKey(key).setModRevision(v.main()));
      } else {
        e.setType(Event.EventType.PUT).setKv(v.kv());
      }
      KeyValue previous = live(key, v.main() - 1);
      if (previous != null) {
        e.setPrevKv(previous);
      }
      out.add(e.build());
    }
    return out;
  }

  private interface Body<T> {
    T run();
  }

  private <T> T atomically(Body<T> body) {
    TreeMap<ByteString, List<Version>> saved = deepCopy(keys);
    changes = 0;
    try {
      T result = body.run();
      if (changes > 0) {
        revision++;
      }
      return result;
    } catch (RuntimeException e) {
      keys = saved;
      throw e;
    } finally {
      changes = 0;
    }
  }

  private EtcdModel copy() {
    EtcdModel copy = new EtcdModel(leaseExists, maxTxnOps);
    copy.keys = deepCopy(keys);
    copy.revision = revision;
    copy.compacted = compacted;
    return copy;
  }

  private static TreeMap<ByteString, List<Version>> deepCopy(TreeMap<ByteString, List<Version>> source) {
    TreeMap<ByteString, List<Version>> copy = new TreeMap<>(BYTES);
    source.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
    return copy;
  }

  private PutResponse doPut(PutRequest r) {
    KeyValue prev = live(r.getKey(), readRevision());
    if ((r.getIgnoreValue() || r.getIgnoreLease()) && prev == null) {
      throw EtcdError.KEY_NOT_FOUND.exception();
    }
    long rev = revision + 1;
    KeyValue kv = KeyValue.newBuilder()
        .setKey(r.getKey())
        .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
        .setModRevision(rev)
        .setVersion(prev == null ? 1 : prev.getVersion() + 1)
        .setValue(r.getIgnoreValue() ? prev.getValue() : r.getValue())
        .setLease(r.getIgnoreLease() ? prev.getLease() : r.getLease())
        .build();
    keys.computeIfAbsent(r.getKey(), k -> new ArrayList<>()).add(new Version(rev, changes++, kv));
    PutResponse.Builder out = PutResponse.newBuilder().setHeader(header(rev));
    if (r.getPrevKv() && prev != null) {
      out.setPrevKv(prev);
    }
    return out.build();
  }

  private DeleteRangeResponse doDelete(DeleteRangeRequest r) {
    List<KeyValue> victims = liveRange(r.getKey(), r.getRangeEnd(), readRevision());
    for (KeyValue kv : victims) {
      keys.get(kv.getKey()).add(new Version(revision + 1, changes++, null));
    }
    DeleteRangeResponse.Builder out = DeleteRangeResponse.newBuilder()
        .setHeader(header(readRevision())).setDeleted(victims.size());
    if (r.getPrevKv()) {
      out.addAllPrevKvs(victims);
    }
    return out.build();
  }

  private TxnResponse doTxn(EtcdModel before, TxnRequest r) {
    boolean ok = before.comparesHold(r.getCompareList());
    TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(ok).setHeader(ResponseHeader.getDefaultInstance());
    for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
      ResponseOp.Builder res = ResponseOp.newBuilder();
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> res.setResponseRange(range(op.getRequestRange()));
        case REQUEST_PUT -> res.setResponsePut(doPut(op.getRequestPut()));
        case REQUEST_DELETE_RANGE -> res.setResponseDeleteRange(doDelete(op.getRequestDeleteRange()));
        case REQUEST_TXN -> res.setResponseTxn(doTxn(before, op.getRequestTxn()));
        default -> throw new IllegalStateException("validated away");
      }
      out.addResponses(res);
    }
    return out.build();
  }

  private void collectChosen(EtcdModel before, TxnRequest r, List<RequestOp> out) {
    for (RequestOp op : before.comparesHold(r.getCompareList()) ? r.getSuccessList() : r.getFailureList()) {
      out.add(op);
      if (op.hasRequestTxn()) {
        collectChosen(before, op.getRequestTxn(), out);
      }
    }
  }

  private boolean comparesHold(List<Compare> compares) {
    for (Compare c : compares) {
      List<KeyValue> kvs = liveRange(c.getKey(), c.getRangeEnd(), revision);
      if (kvs.isEmpty()) {
        if (c.getTarget() == Compare.CompareTarget.VALUE) {
          return false;
        }
        kvs = List.of(KeyValue.getDefaultInstance());
      }
      for (KeyValue kv : kvs) {
        int cmp = switch (c.getTarget()) {
          case VERSION -> Long.compare(kv.getVersion(), c.hasVersion() ? c.getVersion() : 0);
          case CREATE -> Long.compare(kv.getCreateRevision(), c.hasCreateRevision() ? c.getCreateRevision() : 0);
          case MOD -> Long.compare(kv.getModRevision(), c.hasModRevision() ? c.getModRevision() : 0);
          case LEASE -> Long.compare(kv.getLease(), c.hasLease() ? c.getLease() : 0);
          case VALUE -> BYTES.compare(kv.getValue(), c.hasValue() ? c.getValue() : ByteString.EMPTY);
          default -> 0;
        };
        boolean holds = switch (c.getResult()) {
          case EQUAL -> cmp == 0;
          case NOT_EQUAL -> cmp != 0;
          case GREATER -> cmp > 0;
          case LESS -> cmp < 0;
          default -> true;
        };
        if (!holds) {
          return false;
        }
      }
    }
    return true;
  }

  // ---- etcd's request checks, restated ----

  private static void checkPutShape(PutRequest r) {
    if (r.getKey().isEmpty()) {
      throw EtcdError.EMPTY_KEY.exception();
    }
    if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
      throw EtcdError.VALUE_PROVIDED.exception();
    }
    if (r.getIgnoreLease() && r.getLease() != 0) {
      throw EtcdError.LEASE_PROVIDED.exception();
    }
  }

  private static void checkTxnShape(TxnRequest r, int budget) {
    int n = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
    if (n > budget) {
      throw EtcdError.TOO_MANY_OPS.exception();
    }
    if (r.getCompareList().stream().anyMatch(c -> c.getKey().isEmpty())) {
      throw EtcdError.EMPTY_KEY.exception();
    }
    List<RequestOp> ops = new ArrayList<>(r.getSuccessList());
    ops.addAll(r.getFailureList());
    for (RequestOp op : ops) {
      if (op.hasRequestRange() && op.getRequestRange().getKey().isEmpty()) {
        throw EtcdError.EMPTY_KEY.exception();
      } else if (op.hasRequestPut()) {
        checkPutShape(op.getRequestPut());
      } else if (op.hasRequestDeleteRange() && op.getRequestDeleteRange().getKey().isEmpty()) {
        throw EtcdError.EMPTY_KEY.exception();
      } else if (op.hasRequestTxn()) {
        checkTxnShape(op.getRequestTxn(), budget - n);
      }
    }
  }

  /** Puts and delete intervals of a branch; throws DUPLICATE_KEY on etcd's forbidden overlaps. */
  private record Writes(Set<ByteString> puts, List<ByteString[]> dels) {
    boolean hits(ByteString k) {
      for (ByteString[] d : dels) {
        boolean afterBegin = BYTES.compare(d[0], k) <= 0;
        boolean beforeEnd = d[1] == null ? k.equals(d[0]) : d[1].isEmpty() || BYTES.compare(k, d[1]) < 0;
        if (afterBegin && beforeEnd) {
          return true;
        }
      }
      return false;
    }
  }

  private static Writes putsAndDeletes(List<RequestOp> ops) {
    Writes w = new Writes(new HashSet<>(), new ArrayList<>());
    for (RequestOp op : ops) {
      if (op.hasRequestDeleteRange()) {
        DeleteRangeRequest d = op.getRequestDeleteRange();
        w.dels().add(new ByteString[] {d.getKey(), d.getRangeEnd().isEmpty() ? null : d.getRangeEnd()});
      }
    }
    for (RequestOp op : ops) {
      if (op.hasRequestTxn()) {
        Writes a = putsAndDeletes(op.getRequestTxn().getSuccessList());
        Writes b = putsAndDeletes(op.getRequestTxn().getFailureList());
        for (ByteString k : a.puts()) {
          if (!w.puts().add(k) || w.hits(k)) {
            throw EtcdError.DUPLICATE_KEY.exception();
          }
        }
        for (ByteString k : b.puts()) {
          if ((w.puts().contains(k) && !a.puts().contains(k)) || w.hits(k)) {
            throw EtcdError.DUPLICATE_KEY.exception();
          }
          w.puts().add(k);
        }
        w.dels().addAll(a.dels());
        w.dels().addAll(b.dels());
      }
    }
    for (RequestOp op : ops) {
      if (op.hasRequestPut() && (!w.puts().add(op.getRequestPut().getKey()) || w.hits(op.getRequestPut().getKey()))) {
        throw EtcdError.DUPLICATE_KEY.exception();
      }
    }
    return w;
  }

  private static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }
}
