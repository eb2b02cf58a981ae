package io.cairn.storage.kv;

import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.storage.mvcc.ReadView;
import java.util.ArrayList;
import java.util.List;

/**
 * Which branch a txn and each nested txn in it takes. etcd evaluates every compare, nested ones
 * included, against the store as it was before the txn: a nested txn's compares do not see the
 * outer txn's writes. So the whole plan is decided up front, before anything executes.
 *
 * @param succeeded whether the compares held (the success branch runs)
 * @param nested the plans of the nested txns of the chosen branch, in operation order
 */
record TxnPlan(boolean succeeded, List<TxnPlan> nested) {

  static TxnPlan decide(ReadView before, TxnRequest txn) {
    boolean succeeded = CompareEvaluator.all(before, txn.getCompareList());
    List<TxnPlan> nested = new ArrayList<>();
    for (RequestOp op : branch(txn, succeeded)) {
      if (op.hasRequestTxn()) {
        nested.add(decide(before, op.getRequestTxn()));
      }
    }
    return new TxnPlan(succeeded, nested);
  }

  static List<RequestOp> branch(TxnRequest txn, boolean succeeded) {
    return succeeded ? txn.getSuccessList() : txn.getFailureList();
  }
}
