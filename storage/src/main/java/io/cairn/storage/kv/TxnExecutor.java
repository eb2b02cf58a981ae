package io.cairn.storage.kv;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.DeleteRangeResponse;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.ResponseOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.storage.mvcc.KeyRange;
import io.cairn.storage.mvcc.RangeExecutor;
import io.cairn.storage.mvcc.ReadView;
import io.cairn.storage.mvcc.WriteTxn;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Executes etcd KV operations against the store: inside a {@link WriteTxn} for writes, or
 * against a snapshot {@link ReadView} for read-only txns. Response headers carry only the
 * revision, set the way etcd sets them: a put reports the txn's new revision, a delete that
 * deleted nothing (with no earlier change in the txn) the unchanged one, a range the revision it
 * read at, a nested txn an empty header.
 */
final class TxnExecutor {
  /** The write txn, or null for a read-only execution. */
  private final WriteTxn write;
  /** The snapshot view of a read-only execution, or null. */
  private final ReadView readOnly;

  private TxnExecutor(WriteTxn write, ReadView readOnly) {
    this.write = write;
    this.readOnly = readOnly;
  }

  static TxnExecutor writing(WriteTxn write) {
    return new TxnExecutor(write, null);
  }

  static TxnExecutor readOnly(ReadView view) {
    return new TxnExecutor(null, view);
  }

  private ReadView view() {
    return write != null ? write.view() : readOnly;
  }

  /** etcd's apply-time checks of a put: the previous key-value ignore_value/ignore_lease need, and the lease. */
  static void checkPutNeeds(ReadView view, PutRequest r, LeaseLookup leases) {
    if ((r.getIgnoreValue() || r.getIgnoreLease())
        && view.get(r.getKey().toByteArray(), view.currentRevision()) == null) {
      throw EtcdError.KEY_NOT_FOUND.exception();
    }
    checkLease(r, leases);
  }

  static void checkLease(PutRequest r, LeaseLookup leases) {
    if (r.getLease() != 0 && !leases.exists(r.getLease())) {
      throw EtcdError.LEASE_NOT_FOUND.exception();
    }
  }

  PutResponse put(PutRequest r) {
    byte[] key = r.getKey().toByteArray();
    KeyValue previous = null;
    if (r.getIgnoreValue() || r.getIgnoreLease() || r.getPrevKv()) {
      previous = view().get(key, write.revision());
    }
    if ((r.getIgnoreValue() || r.getIgnoreLease()) && previous == null) {
      throw EtcdError.KEY_NOT_FOUND.exception();
    }
    write.put(key,
        r.getIgnoreValue() ? previous.getValue() : r.getValue(),
        r.getIgnoreLease() ? previous.getLease() : r.getLease());
    PutResponse.Builder response = PutResponse.newBuilder().setHeader(header(write.revision()));
    if (r.getPrevKv() && previous != null) {
      response.setPrevKv(previous);
    }
    return response.build();
  }

  DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
    List<KeyValue> deleted = write.deleteRange(KeyRange.of(r.getKey(), r.getRangeEnd()));
    DeleteRangeResponse.Builder response = DeleteRangeResponse.newBuilder()
        .setHeader(header(write.revision()))
        .setDeleted(deleted.size());
    if (r.getPrevKv()) {
      response.addAllPrevKvs(deleted);
    }
    return response.build();
  }

  /**
   * Runs the branches {@code plan} chose. The caller has already made etcd's checks (puts, then
   * ranges) against the store as it was before the txn.
   */
  TxnResponse txn(TxnRequest r, TxnPlan plan, boolean topLevel) {
    TxnResponse.Builder response = TxnResponse.newBuilder().setSucceeded(plan.succeeded());
    Iterator<TxnPlan> nestedPlans = plan.nested().iterator();
    for (RequestOp op : TxnPlan.branch(r, plan.succeeded())) {
      ResponseOp.Builder result = ResponseOp.newBuilder();
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> result.setResponseRange(RangeExecutor.execute(view(), op.getRequestRange()));
        case REQUEST_PUT -> result.setResponsePut(put(op.getRequestPut()));
        case REQUEST_DELETE_RANGE -> result.setResponseDeleteRange(deleteRange(op.getRequestDeleteRange()));
        case REQUEST_TXN -> result.setResponseTxn(txn(op.getRequestTxn(), nestedPlans.next(), false));
        case REQUEST_NOT_SET -> throw EtcdError.KEY_NOT_FOUND.exception();
      }
      response.addResponses(result);
    }
    long revision = write != null ? write.revision() : readOnly.currentRevision();
    return response.setHeader(topLevel ? header(revision) : ResponseHeader.getDefaultInstance()).build();
  }

  /**
   * etcd's checks before a txn runs, over the branches {@code plan} chose, against the store as
   * it was before: first every put (ignore_value/ignore_lease need the key; the lease must
   * exist), then every range's revision (future or compacted fails).
   */
  static void checkBeforeRun(ReadView before, TxnRequest r, TxnPlan plan, LeaseLookup leases) {
    visit(r, plan, op -> {
      if (op.hasRequestPut()) {
        checkPutNeeds(before, op.getRequestPut(), leases);
      }
    });
    visit(r, plan, op -> {
      if (op.hasRequestRange()) {
        checkRangeRevision(before, op.getRequestRange());
      }
    });
  }

  private static void checkRangeRevision(ReadView before, RangeRequest r) {
    long revision = r.getRevision();
    // etcd compares with the compacted revision as is (-1 before any compaction), so a negative
    // revision below it is reported as compacted; 0 means current.
    if (revision == 0) {
      return;
    }
    if (revision > before.currentRevision()) {
      throw EtcdError.FUTURE_REVISION.exception();
    }
    if (revision < before.compactedRevision()) {
      throw EtcdError.COMPACTED.exception();
    }
  }

  private static void visit(TxnRequest r, TxnPlan plan, Consumer<RequestOp> check) {
    Iterator<TxnPlan> nestedPlans = plan.nested().iterator();
    for (RequestOp op : TxnPlan.branch(r, plan.succeeded())) {
      check.accept(op);
      if (op.hasRequestTxn()) {
        visit(op.getRequestTxn(), nestedPlans.next(), check);
      }
    }
  }

  static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }
}
