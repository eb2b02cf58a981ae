package io.cairn.storage.mvcc;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeRequest.SortOrder;
import io.cairn.api.etcdserverpb.RangeRequest.SortTarget;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Answers an etcd {@link RangeRequest} from a {@link ReadView}, with etcd's interplay of limit,
 * filters and sorting: without sorting or revision filters the store stops after limit + 1 keys
 * (the extra one tells whether there is {@code more}); with either, every match is collected,
 * filtered, sorted, and only then cut to the limit. {@code count} is always the number of keys
 * in the range at that revision, before the mod/create revision filters (as etcd reports it).
 * Sorting is stable, so equal sort values stay in key order.
 */
public final class RangeExecutor {
  private RangeExecutor() {}

  /**
   * Executes {@code request}; the header carries only the revision (the rest is the server's).
   *
   * @throws io.cairn.api.EtcdException EMPTY_KEY, FUTURE_REVISION or COMPACTED
   */
  public static RangeResponse execute(ReadView view, RangeRequest request) {
    if (request.getKey().isEmpty()) {
      throw EtcdError.EMPTY_KEY.exception();
    }
    boolean collectAll = request.getSortOrder() != SortOrder.NONE
        || request.getMinModRevision() != 0 || request.getMaxModRevision() != 0
        || request.getMinCreateRevision() != 0 || request.getMaxCreateRevision() != 0;
    long fetchLimit = collectAll || request.getLimit() <= 0 ? 0 : request.getLimit() + 1;
    ReadView.RangeResult result = view.range(KeyRange.of(request.getKey(), request.getRangeEnd()),
        request.getRevision(), fetchLimit, request.getCountOnly());

    List<KeyValue> kvs = new ArrayList<>(result.kvs());
    prune(kvs, request.getMaxModRevision() != 0, kv -> kv.getModRevision() > request.getMaxModRevision());
    prune(kvs, request.getMinModRevision() != 0, kv -> kv.getModRevision() < request.getMinModRevision());
    prune(kvs, request.getMaxCreateRevision() != 0, kv -> kv.getCreateRevision() > request.getMaxCreateRevision());
    prune(kvs, request.getMinCreateRevision() != 0, kv -> kv.getCreateRevision() < request.getMinCreateRevision());

    SortOrder order = effectiveOrder(request.getSortOrder(), request.getSortTarget());
    if (order != SortOrder.NONE) {
      Comparator<KeyValue> byTarget = comparator(request.getSortTarget());
      kvs.sort(order == SortOrder.DESCEND ? byTarget.reversed() : byTarget);
    }

    RangeResponse.Builder response = RangeResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(result.revision()))
        .setCount(result.count());
    if (request.getLimit() > 0 && kvs.size() > request.getLimit()) {
      kvs = kvs.subList(0, (int) request.getLimit());
      response.setMore(true);
    }
    for (KeyValue kv : kvs) {
      response.addKvs(request.getKeysOnly() ? kv.toBuilder().setValue(ByteString.EMPTY).build() : kv);
    }
    return response.build();
  }

  private static void prune(List<KeyValue> kvs, boolean active, Predicate<KeyValue> drop) {
    if (active) {
      kvs.removeIf(drop);
    }
  }

  /**
   * The store already returns key-ascending order, so etcd sorts KEY/ASCEND as NONE, and any
   * other target with order NONE as ASCEND.
   */
  private static SortOrder effectiveOrder(SortOrder order, SortTarget target) {
    if (target != SortTarget.KEY && order == SortOrder.NONE) {
      return SortOrder.ASCEND;
    }
    if (target == SortTarget.KEY && order == SortOrder.ASCEND) {
      return SortOrder.NONE;
    }
    return order == SortOrder.UNRECOGNIZED ? SortOrder.NONE : order;
  }

  private static Comparator<KeyValue> comparator(SortTarget target) {
    return switch (target) {
      case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
      case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
      case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
      case VALUE -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getValue(), b.getValue());
      case KEY, UNRECOGNIZED -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey());
    };
  }
}
