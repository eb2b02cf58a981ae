package io.cairn.storage.kv;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;

/**
 * etcd's stateless checks of KV requests, made before a request enters the raft log (the gRPC
 * edge calls these) and again by {@link KvApplier} before anything changes. Each method throws
 * the {@link io.cairn.api.EtcdException} etcd returns, in etcd's order of checks.
 */
public final class RequestValidator {
  /** etcd's default limit on the operations of one txn (each of compare, success, failure). */
  public static final int DEFAULT_MAX_TXN_OPS = 128;

  private RequestValidator() {}

  public static void checkRange(RangeRequest r) {
    if (r.getKey().isEmpty()) {
      throw EtcdError.EMPTY_KEY.exception();
    }
  }

  public static void checkPut(PutRequest r) {
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

  public static void checkDeleteRange(DeleteRangeRequest r) {
    if (r.getKey().isEmpty()) {
      throw EtcdError.EMPTY_KEY.exception();
    }
  }

  /**
   * The whole txn check: operation counts (nested txns share what the outer one leaves of
   * {@code maxTxnOps}), empty keys, then overlapping writes ({@link DuplicateKeyCheck}).
   */
  public static void checkTxn(TxnRequest r, int maxTxnOps) {
    checkTxnShape(r, maxTxnOps);
    DuplicateKeyCheck.check(r.getSuccessList());
    DuplicateKeyCheck.check(r.getFailureList());
  }

  private static void checkTxnShape(TxnRequest r, int maxTxnOps) {
    int ops = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
    if (ops > maxTxnOps) {
      throw EtcdError.TOO_MANY_OPS.exception();
    }
    for (Compare c : r.getCompareList()) {
      if (c.getKey().isEmpty()) {
        throw EtcdError.EMPTY_KEY.exception();
      }
    }
    for (RequestOp op : r.getSuccessList()) {
      checkOp(op, maxTxnOps - ops);
    }
    for (RequestOp op : r.getFailureList()) {
      checkOp(op, maxTxnOps - ops);
    }
  }

  private static void checkOp(RequestOp op, int maxTxnOps) {
    switch (op.getRequestCase()) {
      case REQUEST_RANGE -> checkRange(op.getRequestRange());
      case REQUEST_PUT -> checkPut(op.getRequestPut());
      case REQUEST_DELETE_RANGE -> checkDeleteRange(op.getRequestDeleteRange());
      case REQUEST_TXN -> checkTxnShape(op.getRequestTxn(), maxTxnOps);
      // etcd answers an empty operation this way.
      case REQUEST_NOT_SET -> throw EtcdError.KEY_NOT_FOUND.exception();
    }
  }
}
