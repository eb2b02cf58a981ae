package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.server.internal.AuthStoreState;
import io.cairn.server.internal.LogRequest;
import io.cairn.storage.mvcc.MetaKey;
import io.cairn.storage.mvcc.MvccStore;
import io.cairn.storage.mvcc.WriteTxn;

/**
 * etcd's auth store, replicated: users, roles and the enabled flag live in one meta record of the
 * {@link MvccStore} ({@link #STATE}), rewritten by each auth entry in the same batch as the
 * entry's raft index, so restarts replay nothing twice and raft snapshots (RocksDB checkpoints)
 * carry it.
 *
 * <p>Apply is total: an entry the store refuses (a missing user, a caller without the root role)
 * is recorded as applied with no change and its client gets etcd's error. Passwords are hashed by
 * the proposing member; only hashes reach the log and the store.
 *
 * <p>Threading: the apply thread calls {@link #apply}, {@link #checkPermitted} and
 * {@link #reload}; any thread reads {@link #current()}.
 */
public final class AuthStore {
  static final MetaKey STATE = MetaKey.of("auth", "state");

  private final MvccStore store;
  private final TokenProvider tokens;
  private final RequestPermissions permissions;
  private final AuthChanges changes = new AuthChanges();
  private volatile AuthSnapshot current;

  AuthStore(MvccStore store, TokenProvider tokens, RequestPermissions permissions) {
    this.store = store;
    this.tokens = tokens;
    this.permissions = permissions;
    this.current = read(store);
    if (current.enabled()) {
      tokens.enable();
    }
  }

  private static AuthSnapshot read(MvccStore store) {
    byte[] bytes = store.meta(STATE);
    if (bytes == null) {
      return AuthSnapshot.empty();
    }
    try {
      return new AuthSnapshot(AuthStoreState.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored auth state is unreadable", e);
    }
  }

  AuthSnapshot current() {
    return current;
  }

  TokenProvider tokens() {
    return tokens;
  }

  RequestPermissions permissions() {
    return permissions;
  }

  public boolean enabled() {
    return current.enabled();
  }

  public long revision() {
    return current.revision();
  }

  /** The content was replaced by a snapshot: take its auth state. */
  public void reload() {
    current = read(store);
    if (current.enabled()) {
      tokens.enable();
    } else {
      tokens.disable();
    }
  }

  /** Whether {@code request} is one of the auth entries {@link #apply} handles. */
  public static boolean isAuthRequest(LogRequest request) {
    return request.getRequestCase().getNumber() >= LogRequest.AUTH_ENABLE_FIELD_NUMBER
        && request.getRequestCase().getNumber() <= LogRequest.AUTH_ROLE_LIST_FIELD_NUMBER;
  }

  static AuthInfo requester(LogRequest request) {
    return new AuthInfo(request.getAuthUserName(), request.getAuthRevision());
  }

  /**
   * etcd's apply-time permission check of a client write (put, delete, txn, lease revoke): throws
   * its error after recording the entry as applied, the same on every member.
   */
  public void checkPermitted(long index, long term, LogRequest request) {
    AuthSnapshot auth = current;
    if (!auth.enabled() || request.getFromMember()) {
      return;
    }
    AuthInfo who = requester(request);
    try {
      switch (request.getRequestCase()) {
        case PUT -> permissions.checkPut(auth, who, request.getPut());
        case DELETE_RANGE -> permissions.checkDeleteRange(auth, who, request.getDeleteRange());
        case TXN -> permissions.checkTxn(auth, who, request.getTxn());
        case LEASE_REVOKE -> permissions.checkLeaseKeys(auth, who, request.getLeaseRevoke().getID());
        default -> { }
      }
    } catch (EtcdException e) {
      store.markApplied(index, term);
      throw e;
    }
  }

  /** Applies an auth entry; returns etcd's response for its client or throws etcd's error. */
  public Object apply(long index, long term, LogRequest request) {
    AuthSnapshot before = current;
    AuthChanges.Outcome outcome;
    try {
      outcome = changes.apply(before, requester(request), request, index, tokens);
    } catch (EtcdException e) {
      store.markApplied(index, term);
      throw e;
    }
    if (outcome.next() == null) {
      store.markApplied(index, term);
    } else {
      try (WriteTxn txn = store.beginWrite()) {
        txn.putMeta(STATE, outcome.next().toByteArray());
        txn.commit(index, term);
      }
      current = new AuthSnapshot(outcome.next());
    }
    outcome.afterCommit().run();
    return withHeader(outcome.response());
  }

  /** etcd's newHeader: the key space's revision (the member completes the rest). */
  private Message withHeader(Message response) {
    ResponseHeader header = ResponseHeader.newBuilder().setRevision(keyRevision()).build();
    Message.Builder b = response.toBuilder();
    b.setField(b.getDescriptorForType().findFieldByName("header"), header);
    return b.build();
  }

  /** The key space's current revision (for response headers). */
  long keyRevision() {
    return store.currentRevision();
  }

  static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
