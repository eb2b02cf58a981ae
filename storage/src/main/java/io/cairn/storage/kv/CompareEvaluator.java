package io.cairn.storage.kv;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.storage.mvcc.KeyRange;
import io.cairn.storage.mvcc.ReadView;
import java.util.List;

/**
 * etcd's txn compare semantics. A compare over a range holds only if every live key in it
 * satisfies it. If no key exists, the compare is made against an all-zero key-value (version,
 * create, mod and lease 0), except a VALUE compare, which then always fails (a missing value
 * cannot be told from an empty one). The compared number or value is taken from the target union
 * only if its case matches the target; otherwise it is 0 / empty.
 */
final class CompareEvaluator {
  private CompareEvaluator() {}

  static boolean all(ReadView view, List<Compare> compares) {
    for (Compare compare : compares) {
      if (!holds(view, compare)) {
        return false;
      }
    }
    return true;
  }

  static boolean holds(ReadView view, Compare compare) {
    List<KeyValue> kvs = view.range(KeyRange.of(compare.getKey(), compare.getRangeEnd()), 0, 0, false).kvs();
    if (kvs.isEmpty()) {
      return compare.getTarget() != Compare.CompareTarget.VALUE
          && holds(compare, KeyValue.getDefaultInstance());
    }
    for (KeyValue kv : kvs) {
      if (!holds(compare, kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(Compare c, KeyValue kv) {
    Compare.TargetUnionCase given = c.getTargetUnionCase();
    int result = switch (c.getTarget()) {
      case VALUE -> ByteString.unsignedLexicographicalComparator().compare(kv.getValue(),
          given == Compare.TargetUnionCase.VALUE ? c.getValue() : ByteString.EMPTY);
      case CREATE -> Long.compare(kv.getCreateRevision(),
          given == Compare.TargetUnionCase.CREATE_REVISION ? c.getCreateRevision() : 0);
      case MOD -> Long.compare(kv.getModRevision(),
          given == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0);
      case VERSION -> Long.compare(kv.getVersion(),
          given == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
      case LEASE -> Long.compare(kv.getLease(), given == Compare.TargetUnionCase.LEASE ? c.getLease() : 0);
      case UNRECOGNIZED -> 0;
    };
    return switch (c.getResult()) {
      case EQUAL -> result == 0;
      case NOT_EQUAL -> result != 0;
      case GREATER -> result > 0;
      case LESS -> result < 0;
      case UNRECOGNIZED -> true;
    };
  }
}
