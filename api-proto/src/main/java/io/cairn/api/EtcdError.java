package io.cairn.api;

import io.grpc.Status;

/**
 * The errors an etcd v3 server returns to clients, with etcd's exact gRPC status code and message.
 *
 * <p>Clients (etcdctl, jetcd, kube-apiserver) match on the message text, not only the code: the
 * Go client maps a status whose message equals one of these strings back to a typed error, and
 * kube-apiserver turns {@link #COMPACTED} into HTTP 410. So the message strings here are part of
 * the wire contract and must never be reworded.
 *
 * <p>Server code throws {@link EtcdException} carrying one of these; the gRPC edge turns it into a
 * {@link Status} with {@link #toStatus()}. Clients (bench, jepsen-tests) use {@link #matches} to
 * recognise one.
 */
public enum EtcdError {
  // Request validation.
  EMPTY_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"),
  KEY_NOT_FOUND(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found"),
  VALUE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided"),
  LEASE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided"),
  TTL_ZERO(Status.Code.INVALID_ARGUMENT, "etcdserver: ttl is 0"),
  TOO_MANY_OPS(Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
  DUPLICATE_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
  REQUEST_TOO_LARGE(Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large"),
  TOO_MANY_REQUESTS(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),

  // MVCC.
  COMPACTED(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
  FUTURE_REVISION(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
  NO_SPACE(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),

  // Leases.
  LEASE_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: requested lease not found"),
  LEASE_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists"),
  LEASE_TTL_TOO_LARGE(Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL"),

  // Membership.
  MEMBER_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: member ID already exist"),
  PEER_URL_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
  MEMBER_NOT_ENOUGH_STARTED(Status.Code.FAILED_PRECONDITION,
      "etcdserver: re-configuration failed due to not enough started members"),
  MEMBER_BAD_URLS(Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
  MEMBER_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: member not found"),
  MEMBER_NOT_LEARNER(Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
  LEARNER_NOT_READY(Status.Code.FAILED_PRECONDITION,
      "etcdserver: can only promote a learner member which is in sync with leader"),
  TOO_MANY_LEARNERS(Status.Code.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"),

  // Auth.
  ROOT_USER_NOT_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not exist"),
  ROOT_ROLE_NOT_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
  USER_ALREADY_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: user name already exists"),
  USER_EMPTY(Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty"),
  USER_NOT_FOUND(Status.Code.FAILED_PRECONDITION, "etcdserver: user name not found"),
  ROLE_ALREADY_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: role name already exists"),
  ROLE_NOT_FOUND(Status.Code.FAILED_PRECONDITION, "etcdserver: role name not found"),
  ROLE_EMPTY(Status.Code.INVALID_ARGUMENT, "etcdserver: role name is empty"),
  AUTH_FAILED(Status.Code.INVALID_ARGUMENT,
      "etcdserver: authentication failed, invalid user ID or password"),
  PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, "etcdserver: permission denied"),
  ROLE_NOT_GRANTED(Status.Code.FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
  PERMISSION_NOT_GRANTED(Status.Code.FAILED_PRECONDITION,
      "etcdserver: permission is not granted to the role"),
  AUTH_NOT_ENABLED(Status.Code.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
  INVALID_AUTH_TOKEN(Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"),
  INVALID_AUTH_MGMT(Status.Code.INVALID_ARGUMENT, "etcdserver: invalid auth management"),
  AUTH_OLD_REVISION(Status.Code.INVALID_ARGUMENT, "etcdserver: revision of auth store is old"),
  /**
   * A password given for a {@code --no-password} user: etcd has no gRPC mapping for this one, so
   * it reaches clients as UNKNOWN with the auth package's own text.
   */
  NO_PASSWORD_USER(Status.Code.UNKNOWN, "auth: authentication failed, password was given for no password user"),

  // Cluster state. A client must treat these as "outcome unknown" for writes unless stated.
  NO_LEADER(Status.Code.UNAVAILABLE, "etcdserver: no leader"),
  NOT_LEADER(Status.Code.FAILED_PRECONDITION, "etcdserver: not leader"),
  LEADER_CHANGED(Status.Code.UNAVAILABLE, "etcdserver: leader changed"),
  NOT_CAPABLE(Status.Code.UNAVAILABLE, "etcdserver: not capable"),
  STOPPED(Status.Code.UNAVAILABLE, "etcdserver: server stopped"),
  TIMEOUT(Status.Code.UNAVAILABLE, "etcdserver: request timed out"),
  TIMEOUT_DUE_TO_LEADER_FAIL(Status.Code.UNAVAILABLE,
      "etcdserver: request timed out, possibly due to previous leader failure"),
  TIMEOUT_DUE_TO_CONNECTION_LOST(Status.Code.UNAVAILABLE,
      "etcdserver: request timed out, possibly due to connection lost"),
  UNHEALTHY(Status.Code.UNAVAILABLE, "etcdserver: unhealthy cluster"),
  CORRUPT(Status.Code.DATA_LOSS, "etcdserver: corrupt cluster"),
  NOT_SUPPORTED_FOR_LEARNER(Status.Code.UNAVAILABLE, "etcdserver: rpc not supported for learner"),
  BAD_LEADER_TRANSFEREE(Status.Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee");

  private final Status.Code code;
  private final String message;

  EtcdError(Status.Code code, String message) {
    this.code = code;
    this.message = message;
  }

  public Status.Code code() {
    return code;
  }

  /** The exact text etcd puts in the gRPC status message. */
  public String message() {
    return message;
  }

  public Status toStatus() {
    return Status.fromCode(code).withDescription(message);
  }

  /** A new exception carrying this error, for server code to throw. */
  public EtcdException exception() {
    return new EtcdException(this);
  }

  /** Whether a status received from a server is this error (same code and same message). */
  public boolean matches(Status status) {
    return status.getCode() == code && message.equals(status.getDescription());
  }
}
