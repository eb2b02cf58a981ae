package io.cairn.server.auth;

import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.storage.kv.KvApplier;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/**
 * The auth edge of every client call, etcd's per-RPC rules in one place:
 *
 * <ul>
 *   <li>the call's token (gRPC metadata {@code token}, or {@code authorization} as etcd's
 *       gateway) goes into the call's {@link Context} as a {@link CallAuth};
 *   <li>calls etcd resolves the token for fail with "invalid auth token" for a bad one;
 *   <li>Range, Put, DeleteRange and Txn are checked against the caller's permissions before they
 *       are served or proposed (writes are checked again at apply), and a read served while the
 *       auth store moved past the token's revision fails as etcd's doSerialize does;
 *   <li>Maintenance's Defragment, Snapshot, Hash, HashKV and Cluster's member changes need the
 *       root role (etcd's IsAdminPermitted).
 * </ul>
 *
 * Calls etcd serves without looking at the token (Status, MemberList, LeaseKeepAlive,
 * LeaseTimeToLive, LeaseLeases, MoveLeader, AuthStatus) pass untouched; Watch checks each create
 * on its stream.
 */
public final class AuthGuard implements ServerInterceptor {
  static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> GATEWAY_TOKEN = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Admin calls whose refusal etcd returns unmapped: UNKNOWN with the auth package's text. */
  private static final Set<String> ADMIN_UNMAPPED = Set.of(
      "etcdserverpb.Maintenance/Defragment", "etcdserverpb.Maintenance/Snapshot",
      "etcdserverpb.Maintenance/Hash", "etcdserverpb.Maintenance/HashKV");
  private static final Set<String> ADMIN = Set.of(
      "etcdserverpb.Cluster/MemberAdd", "etcdserverpb.Cluster/MemberRemove",
      "etcdserverpb.Cluster/MemberUpdate", "etcdserverpb.Cluster/MemberPromote");
  /** Calls that fail on a bad token before anything else (etcd resolves it to propose them). */
  private static final Set<String> RESOLVES_TOKEN = Set.of(
      "etcdserverpb.KV/Compact", "etcdserverpb.Lease/LeaseGrant", "etcdserverpb.Lease/LeaseRevoke",
      "etcdserverpb.Maintenance/Alarm");
  private static final String AUTH_SERVICE = "etcdserverpb.Auth/";
  private static final String AUTH_STATUS = "etcdserverpb.Auth/AuthStatus";

  private final AuthStore store;

  AuthGuard(AuthStore store) {
    this.store = store;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String token = headers.get(TOKEN);
    if (token == null) {
      token = headers.get(GATEWAY_TOKEN);
    }
    CallAuth auth = new CallAuth(store, token);
    String method = call.getMethodDescriptor().getFullMethodName();
    CheckedCall<Q, R> checked = new CheckedCall<>(call);
    Context context = Context.current().withValue(CallAuth.KEY, auth);
    if (token != null && (RESOLVES_TOKEN.contains(method)
        || (method.startsWith(AUTH_SERVICE) && !method.equals(AUTH_STATUS)))) {
      try {
        auth.info();
      } catch (EtcdException e) {
        return refuse(call, e);
      }
    }
    if (ADMIN.contains(method) || ADMIN_UNMAPPED.contains(method)) {
      try {
        store.current().checkAdmin(auth.infoOrNone());
      } catch (EtcdException e) {
        if (ADMIN_UNMAPPED.contains(method)) {
          call.close(unmapped(e.error()), new Metadata());
          return new ServerCall.Listener<>() { };
        }
        return refuse(call, e);
      }
    }
    ServerCall.Listener<Q> served = Contexts.interceptCall(context, checked, headers, next);
    return new MessageCheck<>(served, checked, auth);
  }

  /** etcd's Maintenance returns the auth package's errors as they are (gRPC UNKNOWN). */
  static Status unmapped(EtcdError error) {
    String text = switch (error) {
      case USER_NOT_FOUND -> "auth: user not found";
      default -> error.message().replace("etcdserver: ", "auth: ");
    };
    return Status.UNKNOWN.withDescription(text);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, EtcdException e) {
    call.close(e.toStatus(), new Metadata());
    return new ServerCall.Listener<>() { };
  }

  /**
   * Checks a KV request's permissions when it arrives; a refused one is answered with etcd's
   * error and never reaches the service.
   */
  private final class MessageCheck<Q, R> extends SimpleForwardingServerCallListener<Q> {
    private final CheckedCall<Q, R> call;
    private final CallAuth auth;
    private boolean refused;

    MessageCheck(ServerCall.Listener<Q> delegate, CheckedCall<Q, R> call, CallAuth auth) {
      super(delegate);
      this.call = call;
      this.auth = auth;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      try {
        check(message);
      } catch (EtcdException e) {
        refused = true;
        call.close(e.toStatus(), new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    private void check(Q message) {
      if (!(message instanceof RangeRequest || message instanceof PutRequest
          || message instanceof DeleteRangeRequest || message instanceof TxnRequest)) {
        return;
      }
      AuthInfo who = auth.infoOrNone();
      AuthSnapshot snapshot = store.current();
      RequestPermissions p = store.permissions();
      if (message instanceof RangeRequest r) {
        p.checkRange(snapshot, who, r);
        call.failIfStale(who);
      } else if (message instanceof PutRequest r) {
        p.checkPut(snapshot, who, r);
      } else if (message instanceof DeleteRangeRequest r) {
        p.checkDeleteRange(snapshot, who, r);
      } else if (message instanceof TxnRequest r) {
        p.checkTxn(snapshot, who, r);
        if (KvApplier.isReadOnly(r)) {
          call.failIfStale(who);
        }
      }
    }
  }

  /**
   * A served read whose token's auth revision is no longer the store's is answered with etcd's
   * "revision of auth store is old" instead of its response (etcd's doSerialize).
   */
  private final class CheckedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private volatile AuthInfo readBy;
    private volatile boolean replaced;

    CheckedCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    void failIfStale(AuthInfo who) {
      readBy = who;
    }

    @Override
    public void sendMessage(R message) {
      AuthInfo who = readBy;
      if (who != null && who.revision() != 0 && who.revision() != store.revision()) {
        replaced = true;
        super.close(EtcdError.AUTH_OLD_REVISION.toStatus(), new Metadata());
        return;
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!replaced) {
        super.close(status, trailers);
      }
    }
  }
}
