package io.cairn.storage.kv;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * etcd's rule against writing one key twice in a txn ({@code DUPLICATE_KEY}), rule for rule:
 * within one branch, no key may be put twice and no put may fall inside a delete of the same
 * branch or of a nested txn; the two branches of one nested txn may put the same key (only one
 * runs); deletes may overlap each other.
 *
 * <p>Like etcd, a delete interval is {@code [key, range_end)} compared as plain strings with an
 * empty end meaning unbounded. A delete with range_end {@code "\0"} ("every key from key on")
 * is therefore an empty interval here and conflicts with no put; etcd behaves the same way,
 * and the store handles a key put and deleted at the same revision (distinct sub revisions).
 * Also as in etcd, a nested txn's deletes only conflict with puts checked after it: later
 * siblings and this level's own puts.
 */
final class DuplicateKeyCheck {
  private DuplicateKeyCheck() {}

  /** A delete's key interval; {@code end} empty means unbounded. */
  private record Interval(ByteString begin, ByteString end) {
    boolean containsPoint(ByteString key) {
      return compare(begin, key) <= 0 && (end.isEmpty() || compare(key, end) < 0);
    }
  }

  private record Writes(Set<ByteString> puts, List<Interval> deletes) {
    boolean deleted(ByteString key) {
      return deletes.stream().anyMatch(d -> d.containsPoint(key));
    }
  }

  static void check(List<RequestOp> ops) {
    collect(ops);
  }

  private static Writes collect(List<RequestOp> ops) {
    List<Interval> deletes = new ArrayList<>();
    for (RequestOp op : ops) {
      if (op.hasRequestDeleteRange()) {
        DeleteRangeRequest d = op.getRequestDeleteRange();
        deletes.add(d.getRangeEnd().isEmpty()
            ? new Interval(d.getKey(), d.getKey().concat(ByteString.copyFrom(new byte[] {0})))
            : new Interval(d.getKey(), d.getRangeEnd()));
      }
    }
    Writes writes = new Writes(new HashSet<>(), deletes);
    for (RequestOp op : ops) {
      if (!op.hasRequestTxn()) {
        continue;
      }
      Writes then = collect(op.getRequestTxn().getSuccessList());
      Writes otherwise = collect(op.getRequestTxn().getFailureList());
      for (ByteString key : then.puts()) {
        if (writes.puts().contains(key) || writes.deleted(key)) {
          throw EtcdError.DUPLICATE_KEY.exception();
        }
        writes.puts().add(key);
      }
      for (ByteString key : otherwise.puts()) {
        if ((writes.puts().contains(key) && !then.puts().contains(key)) || writes.deleted(key)) {
          throw EtcdError.DUPLICATE_KEY.exception();
        }
        writes.puts().add(key);
      }
      writes.deletes().addAll(then.deletes());
      writes.deletes().addAll(otherwise.deletes());
    }
    for (RequestOp op : ops) {
      if (!op.hasRequestPut()) {
        continue;
      }
      ByteString key = op.getRequestPut().getKey();
      if (writes.puts().contains(key) || writes.deleted(key)) {
        throw EtcdError.DUPLICATE_KEY.exception();
      }
      writes.puts().add(key);
    }
    return writes;
  }

  private static int compare(ByteString a, ByteString b) {
    return ByteString.unsignedLexicographicalComparator().compare(a, b);
  }
}
