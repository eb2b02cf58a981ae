package io.cairn.server.grpc;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.alarm.SpaceMonitor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * etcd's behaviour under the NOSPACE alarm: requests that add data (Put, a Txn with a put in
 * either branch, LeaseGrant) fail with "etcdserver: mvcc: database space exceeded" before they are
 * proposed; Range, DeleteRange, Compact, read-only or delete-only Txns and every other call go on,
 * so an operator can free space and disarm the alarm. Each request that adds data first has the
 * {@link SpaceMonitor} check the free space.
 */
public final class NoSpaceGuard implements ServerInterceptor {
  private final SpaceMonitor space;

  public NoSpaceGuard(SpaceMonitor space) {
    this.space = space;
  }

  /** Whether {@code request} would add data to a full store (etcd's "quota cost" is above zero). */
  static boolean addsData(Object request) {
    return request instanceof PutRequest
        || request instanceof LeaseGrantRequest
        || (request instanceof TxnRequest txn && hasPut(txn));
  }

  private static boolean hasPut(TxnRequest txn) {
    for (RequestOp op : txn.getSuccessList()) {
      if (adds(op)) {
        return true;
      }
    }
    for (RequestOp op : txn.getFailureList()) {
      if (adds(op)) {
        return true;
      }
    }
    return false;
  }

  private static boolean adds(RequestOp op) {
    return op.hasRequestPut() || (op.hasRequestTxn() && hasPut(op.getRequestTxn()));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return new ScreeningListener<>(next.startCall(call, headers), call,
        request -> addsData(request) && space.refusesData() ? EtcdError.NO_SPACE : null);
  }
}

