package io.cairn.storage.kv;

import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.CompactionResponse;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.DeleteRangeResponse;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.storage.mvcc.MvccStore;
import io.cairn.storage.mvcc.ReadView;
import io.cairn.storage.mvcc.WriteTxn;
import java.util.function.Function;

/**
 * Applies etcd KV write requests to an {@link MvccStore}, one raft entry at a time, with etcd's
 * semantics and errors.
 *
 * <p>Each entry is applied exactly once: an entry whose index is at or below the store's applied
 * index returns {@link ApplyResult#skipped()} and changes nothing, so replaying the raft log after
 * a restart is harmless. An entry that fails (e.g. {@code KEY_NOT_FOUND} for ignore_value on a
 * missing key) changes no key but still records its index as applied, then throws the
 * {@link EtcdException} for the client. Everything an entry changes, plus its index, is written in
 * one atomic batch.
 *
 * <p>Threading: the write methods are for the single apply thread; {@link #readOnlyTxn} may be
 * called from any thread.
 */
public final class KvApplier {
  private final MvccStore store;
  private final LeaseLookup leases;
  private final int maxTxnOps;

  public KvApplier(MvccStore store) {
    this(store, LeaseLookup.ACCEPT_ALL, RequestValidator.DEFAULT_MAX_TXN_OPS);
  }

  public KvApplier(MvccStore store, LeaseLookup leases, int maxTxnOps) {
    if (maxTxnOps <= 0) {
      throw new IllegalArgumentException("maxTxnOps must be > 0: " + maxTxnOps);
    }
    this.store = store;
    this.leases = leases;
    this.maxTxnOps = maxTxnOps;
  }

  public ApplyResult<PutResponse> put(long index, long term, PutRequest r) {
    return apply(index, term, txn -> {
      RequestValidator.checkPut(r);
      TxnExecutor.checkLease(r, leases);
      return TxnExecutor.writing(txn).put(r);
    });
  }

  public ApplyResult<DeleteRangeResponse> deleteRange(long index, long term, DeleteRangeRequest r) {
    return apply(index, term, txn -> {
      RequestValidator.checkDeleteRange(r);
      return TxnExecutor.writing(txn).deleteRange(r);
    });
  }

  /** etcd's Txn: validation, all compares against the store before the txn, then the chosen branches at one revision. */
  public ApplyResult<TxnResponse> txn(long index, long term, TxnRequest r) {
    return apply(index, term, txn -> {
      RequestValidator.checkTxn(r, maxTxnOps);
      ReadView before = txn.view();
      TxnPlan plan = TxnPlan.decide(before, r);
      TxnExecutor.checkBeforeRun(before, r, plan, leases);
      return TxnExecutor.writing(txn).txn(r, plan, true);
    });
  }

  /**
   * etcd's Compact: schedules the compaction (reads below it fail from now on); the server then
   * drives {@link MvccStore#compactStep} and, for {@code physical}, answers once it is done.
   */
  public ApplyResult<CompactionResponse> compact(long index, long term, CompactionRequest r) {
    if (index <= store.appliedIndex()) {
      return ApplyResult.skipped();
    }
    try {
      store.compact(index, term, r.getRevision());
    } catch (EtcdException e) {
      store.markApplied(index, term);
      throw e;
    }
    return ApplyResult.applied(CompactionResponse.newBuilder()
        .setHeader(TxnExecutor.header(store.currentRevision())).build());
  }

  /**
   * A txn without writes (see {@link #isReadOnly}) answered from a snapshot, without going
   * through the log; any thread.
   */
  public TxnResponse readOnlyTxn(TxnRequest r) {
    if (!isReadOnly(r)) {
      throw new IllegalArgumentException("txn has write operations; apply it through the log");
    }
    RequestValidator.checkTxn(r, maxTxnOps);
    return store.read(view -> {
      TxnPlan plan = TxnPlan.decide(view, r);
      TxnExecutor.checkBeforeRun(view, r, plan, leases);
      return TxnExecutor.readOnly(view).txn(r, plan, true);
    });
  }

  /** etcd's test: only range operations in both branches (a nested txn counts as a write). */
  public static boolean isReadOnly(TxnRequest r) {
    for (RequestOp op : r.getSuccessList()) {
      if (!op.hasRequestRange()) {
        return false;
      }
    }
    for (RequestOp op : r.getFailureList()) {
      if (!op.hasRequestRange()) {
        return false;
      }
    }
    return true;
  }

  private <T> ApplyResult<T> apply(long index, long term, Function<WriteTxn, T> body) {
    if (index <= store.appliedIndex()) {
      return ApplyResult.skipped();
    }
    T response;
    try (WriteTxn txn = store.beginWrite()) {
      try {
        response = body.apply(txn);
      } catch (EtcdException e) {
        txn.close();
        store.markApplied(index, term);
        throw e;
      }
      txn.commit(index, term);
    }
    return ApplyResult.applied(response);
  }
}
