package io.cairn.server.auth;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.cairn.api.EtcdError;
import io.cairn.api.authpb.User;
import io.cairn.api.etcdserverpb.*;
import io.cairn.server.grpc.HeaderFactory;
import io.cairn.server.grpc.Replies;
import io.cairn.server.internal.AuthenticateEntry;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.logging.LogRateLimit;
import io.cairn.server.member.Member;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's Auth service. Every change and every read of users and roles goes through the raft log
 * (as etcd 3.4), so it answers with the state as of its own entry and the root-role check is made
 * at apply against the same state on every member. Passwords are hashed here, before proposing;
 * Authenticate checks the password here too (etcd's CheckPassword), then proposes the token's
 * issue, and starts over if the auth store changed in between.
 */
final class AuthService extends AuthGrpc.AuthImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
  /** Authenticate starts over at most this often when the auth store keeps changing under it. */
  static final int MAX_AUTHENTICATE_ATTEMPTS = 10;

  private final Member member;
  private final AuthStore store;
  private final Passwords passwords;
  private final HeaderFactory headers;
  /** Failed authentications are many when a client guesses: their log lines are bounded. */
  private final LogRateLimit failureLog = new LogRateLimit(10, 60_000_000_000L, System::nanoTime);

  AuthService(Member member, AuthStore store, Passwords passwords, HeaderFactory headers) {
    this.member = member;
    this.store = store;
    this.passwords = passwords;
    this.headers = headers;
  }

  @Override
  public void authEnable(AuthEnableRequest request, StreamObserver<AuthEnableResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthEnable(request));
  }

  @Override
  public void authDisable(AuthDisableRequest request, StreamObserver<AuthDisableResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthDisable(request));
  }

  @Override
  public void authStatus(AuthStatusRequest request, StreamObserver<AuthStatusResponse> observer) {
    Replies.unary(observer, () -> AuthStatusResponse.newBuilder()
        .setHeader(headers.header(store.keyRevision()))
        .setEnabled(store.enabled()).setAuthRevision(store.revision()).build());
  }

  @Override
  public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> observer) {
    CallAuth auth = CallAuth.current();
    CompletableFuture<Object> done = member.linearizableReadBarrier()
        .thenCompose(ignored -> authenticate(auth, request, 1));
    Replies.async(observer, done, r -> finish((AuthenticateResponse) r));
  }

  private CompletableFuture<Object> authenticate(CallAuth auth, AuthenticateRequest request, int attempt) {
    AuthSnapshot checked = store.current();
    if (!checked.enabled()) {
      return CompletableFuture.failedFuture(EtcdError.AUTH_NOT_ENABLED.exception());
    }
    User user = checked.user(request.getName());
    if (user == null) {
      return failed(request.getName());
    }
    if (user.getOptions().getNoPassword()) {
      return CompletableFuture.failedFuture(EtcdError.NO_PASSWORD_USER.exception());
    }
    return passwords.matches(user.getPassword().toStringUtf8(), request.getPassword()).thenCompose(ok -> {
      if (!ok) {
        return failed(request.getName());
      }
      LogRequest.Builder entry = LogRequest.newBuilder().setAuthenticate(AuthenticateEntry.newBuilder()
          .setName(request.getName()).setSimpleTokenPrefix(store.tokens().newPrefix()));
      return member.propose(auth.stamp(entry)).thenCompose(token -> {
        if (store.revision() == checked.revision() || attempt >= MAX_AUTHENTICATE_ATTEMPTS) {
          return CompletableFuture.completedFuture(token);
        }
        // The password was checked against a state that changed before the token was issued.
        return authenticate(auth, request, attempt + 1);
      });
    });
  }

  private CompletableFuture<Object> failed(String user) {
    long leftOut = failureLog.tryAcquire();
    if (leftOut >= 0) {
      LOG.info("authentication failed for user {} ({} more failures not logged)", user, leftOut);
    }
    return CompletableFuture.failedFuture(EtcdError.AUTH_FAILED.exception());
  }

  @Override
  public void userAdd(AuthUserAddRequest request, StreamObserver<AuthUserAddResponse> observer) {
    CallAuth auth = CallAuth.current();
    AuthUserAddRequest.Builder entry = request.toBuilder().clearPassword().clearHashedPassword();
    CompletableFuture<String> hash = request.getOptions().getNoPassword()
        ? CompletableFuture.completedFuture("")
        : passwords.hash(request.getPassword());
    proposeAfter(observer, auth, hash.thenApply(h -> LogRequest.newBuilder().setAuthUserAdd(entry.setHashedPassword(h))));
  }

  @Override
  public void userChangePassword(AuthUserChangePasswordRequest request,
      StreamObserver<AuthUserChangePasswordResponse> observer) {
    CallAuth auth = CallAuth.current();
    proposeAfter(observer, auth, passwords.hash(request.getPassword()).thenApply(h -> LogRequest.newBuilder()
        .setAuthUserChangePassword(request.toBuilder().clearPassword().setHashedPassword(h))));
  }

  @Override
  public void userGet(AuthUserGetRequest request, StreamObserver<AuthUserGetResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthUserGet(request));
  }

  @Override
  public void userList(AuthUserListRequest request, StreamObserver<AuthUserListResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthUserList(request));
  }

  @Override
  public void userDelete(AuthUserDeleteRequest request, StreamObserver<AuthUserDeleteResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthUserDelete(request));
  }

  @Override
  public void userGrantRole(AuthUserGrantRoleRequest request, StreamObserver<AuthUserGrantRoleResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthUserGrantRole(request));
  }

  @Override
  public void userRevokeRole(AuthUserRevokeRoleRequest request, StreamObserver<AuthUserRevokeRoleResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthUserRevokeRole(request));
  }

  @Override
  public void roleAdd(AuthRoleAddRequest request, StreamObserver<AuthRoleAddResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthRoleAdd(request));
  }

  @Override
  public void roleGet(AuthRoleGetRequest request, StreamObserver<AuthRoleGetResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthRoleGet(request));
  }

  @Override
  public void roleList(AuthRoleListRequest request, StreamObserver<AuthRoleListResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthRoleList(request));
  }

  @Override
  public void roleDelete(AuthRoleDeleteRequest request, StreamObserver<AuthRoleDeleteResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthRoleDelete(request));
  }

  @Override
  public void roleGrantPermission(AuthRoleGrantPermissionRequest request,
      StreamObserver<AuthRoleGrantPermissionResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthRoleGrantPermission(request));
  }

  @Override
  public void roleRevokePermission(AuthRoleRevokePermissionRequest request,
      StreamObserver<AuthRoleRevokePermissionResponse> observer) {
    propose(observer, LogRequest.newBuilder().setAuthRoleRevokePermission(request));
  }

  private <T extends Message> void propose(StreamObserver<T> observer, LogRequest.Builder request) {
    proposeAfter(observer, CallAuth.current(), CompletableFuture.completedFuture(request));
  }

  /** Proposes once {@code request} is ready (a password hashed), stamped with the caller's identity. */
  private <T extends Message> void proposeAfter(StreamObserver<T> observer, CallAuth auth,
      CompletableFuture<LogRequest.Builder> request) {
    CompletableFuture<Object> applied = request.thenCompose(r -> member.propose(auth.stamp(r)));
    @SuppressWarnings("unchecked")
    CompletableFuture<T> typed = applied.thenApply(r -> (T) r);
    Replies.async(observer, typed, this::finish);
  }

  /** The applied response with this member's header around the revision the store put in it. */
  @SuppressWarnings("unchecked")
  private <T extends Message> T finish(T response) {
    FieldDescriptor field = response.getDescriptorForType().findFieldByName("header");
    ResponseHeader partial = (ResponseHeader) response.getField(field);
    return (T) response.toBuilder().setField(field, headers.complete(partial)).build();
  }
}
