package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import java.util.List;
import java.util.function.LongFunction;

/**
 * etcd's permission checks for the key-value requests (the authApplierV3 wrappers and
 * checkTxnAuth), against one {@link AuthSnapshot}. They run at the edge (a refused request never
 * enters the log) and again at apply for writes, where the outcome is the same on every member.
 *
 * <p>One deliberate difference from etcd 3.4: the operations of a nested txn are checked like the
 * top-level ones (etcd 3.4 skipped them).
 */
final class RequestPermissions {
  private static final ByteString NO_END = ByteString.EMPTY;

  /** The keys attached to a lease (none for an unknown lease). */
  private final LongFunction<List<ByteString>> leaseKeys;

  RequestPermissions(LongFunction<List<ByteString>> leaseKeys) {
    this.leaseKeys = leaseKeys;
  }

  void checkRange(AuthSnapshot auth, AuthInfo who, RangeRequest r) {
    auth.checkRead(who, r.getKey(), r.getRangeEnd());
  }

  void checkPut(AuthSnapshot auth, AuthInfo who, PutRequest r) {
    auth.checkWrite(who, r.getKey(), NO_END);
    checkLeaseKeys(auth, who, r.getLease());
    if (r.getPrevKv()) {
      auth.checkRead(who, r.getKey(), NO_END);
    }
  }

  void checkDeleteRange(AuthSnapshot auth, AuthInfo who, DeleteRangeRequest r) {
    auth.checkWrite(who, r.getKey(), r.getRangeEnd());
    if (r.getPrevKv()) {
      auth.checkRead(who, r.getKey(), r.getRangeEnd());
    }
  }

  /** A lease revoke (or a put attaching to a lease) needs write access to every key on the lease. */
  void checkLeaseKeys(AuthSnapshot auth, AuthInfo who, long leaseId) {
    if (leaseId == 0 || !auth.enabled()) {
      return;
    }
    for (ByteString key : leaseKeys.apply(leaseId)) {
      auth.checkWrite(who, key, NO_END);
    }
  }

  void checkTxn(AuthSnapshot auth, AuthInfo who, TxnRequest txn) {
    if (!auth.enabled()) {
      return;
    }
    for (Compare c : txn.getCompareList()) {
      auth.checkRead(who, c.getKey(), c.getRangeEnd());
    }
    checkOps(auth, who, txn.getSuccessList());
    checkOps(auth, who, txn.getFailureList());
  }

  private void checkOps(AuthSnapshot auth, AuthInfo who, List<RequestOp> ops) {
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> auth.checkRead(who, op.getRequestRange().getKey(), op.getRequestRange().getRangeEnd());
        case REQUEST_PUT -> auth.checkWrite(who, op.getRequestPut().getKey(), NO_END);
        case REQUEST_DELETE_RANGE -> {
          DeleteRangeRequest d = op.getRequestDeleteRange();
          if (d.getPrevKv()) {
            auth.checkRead(who, d.getKey(), d.getRangeEnd());
          }
          auth.checkWrite(who, d.getKey(), d.getRangeEnd());
        }
        case REQUEST_TXN -> checkTxn(auth, who, op.getRequestTxn());
        default -> { }
      }
    }
  }
}
