package io.cairn.server.auth;

import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.member.Member;
import io.grpc.Context;
import java.util.concurrent.CompletableFuture;

/**
 * The auth token of the gRPC call being served, put in the call's {@link Context} by
 * {@link AuthGuard}. Services take it with {@link #current()} on the call's thread and resolve it
 * when etcd does (etcd's AuthInfoFromCtx): a simple token is looked up at each use, so a token
 * invalidated meanwhile (password change, user deleted, auth disabled) stops working at once.
 */
public final class CallAuth {
  static final Context.Key<CallAuth> KEY = Context.key("cairn-call-auth");
  /** A call that carries no token, or a server without auth wiring. */
  private static final CallAuth NONE = new CallAuth(null, null);

  private final AuthStore store;
  private final String token;

  CallAuth(AuthStore store, String token) {
    this.store = store;
    this.token = token;
  }

  /** The current call's auth; a call outside {@link AuthGuard} has none. */
  public static CallAuth current() {
    CallAuth auth = KEY.get();
    return auth == null ? NONE : auth;
  }

  /** Who the token stands for: null without a token; etcd's invalid-token error for a bad one. */
  AuthInfo info() {
    if (token == null || store == null) {
      return null;
    }
    AuthInfo info = store.tokens().info(token, store.revision());
    if (info == null) {
      throw EtcdError.INVALID_AUTH_TOKEN.exception();
    }
    return info;
  }

  /** {@link #info()}, with a request without a token as etcd's empty AuthInfo. */
  AuthInfo infoOrNone() {
    AuthInfo info = info();
    return info == null ? AuthInfo.NONE : info;
  }

  /**
   * Stamps a client's proposal with the caller's identity, checked again when the entry applies
   * (etcd's RequestHeader username and auth_revision). Throws etcd's invalid-token error.
   */
  public LogRequest.Builder stamp(LogRequest.Builder request) {
    AuthInfo info = info();
    if (info != null) {
      request.setAuthUserName(info.userName()).setAuthRevision(info.revision());
    }
    return request;
  }

  /**
   * The text of a Go gRPC status error, which etcd puts in a refused watch's cancel reason:
   * {@code rpc error: code = PermissionDenied desc = etcdserver: permission denied}.
   */
  static String goStatusText(EtcdError error) {
    StringBuilder code = new StringBuilder();
    for (String word : error.code().name().split("_")) {
      code.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return "rpc error: code = " + code + " desc = " + error.message();
  }

  /**
   * Proposes a client's write stamped with the caller's identity; fails with etcd's invalid-token
   * error, proposing nothing, for a bad token.
   */
  public CompletableFuture<Object> propose(Member member, LogRequest.Builder request) {
    try {
      return member.propose(stamp(request));
    } catch (EtcdException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * etcd's check at watch create (read access to the watched range): null if permitted, else
   * the reason the created-and-canceled response carries.
   */
  public String watchRefusal(WatchCreateRequest request) {
    if (store == null) {
      return null;
    }
    try {
      store.current().checkRead(infoOrNone(), request.getKey(), request.getRangeEnd());
      return null;
    } catch (EtcdException e) {
      EtcdError reason = switch (e.error()) {
        case INVALID_AUTH_TOKEN, AUTH_OLD_REVISION, USER_EMPTY -> e.error();
        default -> EtcdError.PERMISSION_DENIED;
      };
      return goStatusText(reason);
    }
  }
}
